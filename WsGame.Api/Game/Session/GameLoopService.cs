using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;

namespace WsGame.Api.Game.Session;

/// <summary>The fixed tick (WsGame:Game:TickRate per second): each room is handed its tick, as one more input.</summary>
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
        // Each room handles its tick in turn with its inputs, on its own: the metric is the time a room's tick took.
        session.TickMeasured = metrics.TickCompleted;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / options.Value.TickRate), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    session.Tick();
                    Volatile.Write(ref _lastTickTimestamp, time.GetTimestamp());
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
