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
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / options.Value.TickRate), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    // Measured once per tick, not per room (10,000 room ticks a second for 500 rooms): the loop runs
                    // the turns of idle rooms itself, so this is every room's update built and queued, except
                    // rooms whose turn was already queued, which tick on the thread pool right after.
                    var started = time.GetTimestamp();
                    session.Tick();
                    var ended = time.GetTimestamp();
                    metrics.TickCompleted(time.GetElapsedTime(started, ended));
                    Volatile.Write(ref _lastTickTimestamp, ended);
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
