using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;

namespace WsGame.Api.Game.Session;

/// <summary>The fixed tick (WsGame:Game:TickRate per second) that pushes each room's changes.</summary>
internal sealed class GameLoopService(
    GameSession session, IOptions<GameOptions> options, TimeProvider time, WsGameMetrics metrics, ILogger<GameLoopService> logger)
    : BackgroundService
{
    // Starts at construction (host start), so a loop that never ticks is noticed too.
    private long _lastTickTimestamp = time.GetTimestamp();

    /// <summary>When the last tick ran (a <see cref="TimeProvider"/> timestamp), for the health check.</summary>
    public long LastTickTimestamp => Volatile.Read(ref _lastTickTimestamp);

    /// <summary>How long ago the last tick ran.</summary>
    public TimeSpan SinceLastTick => time.GetElapsedTime(LastTickTimestamp);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / options.Value.TickRate), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var started = time.GetTimestamp();
                    session.Tick();
                    var ended = time.GetTimestamp();
                    Volatile.Write(ref _lastTickTimestamp, ended);
                    metrics.TickCompleted(time.GetElapsedTime(started, ended));
                }
                catch (Exception exception)
                {
                    // One bad tick must not stop the game for everyone.
                    logger.LogError(exception, "Game tick {Tick} failed", session.CurrentTick);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
