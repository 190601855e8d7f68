using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;

namespace WsGame.Api.Game.Session;

/// <summary>
/// The fixed tick (WsGame:Game:TickRate per second): each room is handed its tick, as one more input. Between two
/// ticks the loop passes over the rooms <see cref="PassesPerTick"/> - 1 more times and lets each handle the
/// inputs waiting for it: moves do not wake their room (a thread-pool hand-off each), and without these passes
/// a tick would start by handling a whole tick's moves, which delays every update it then sends.
/// </summary>
internal sealed class GameLoopService(
    GameSession session, IOptions<GameOptions> options, TimeProvider time, WsGameMetrics metrics, ILogger<GameLoopService> logger)
    : BackgroundService
{
    /// <summary>Passes of the loop per tick: the tick itself and the passes for waiting inputs between ticks.</summary>
    public const int PassesPerTick = 4;

    // Starts at construction (host start), so a loop that never ticks is noticed too.
    private long _lastTickTimestamp = time.GetTimestamp();

    /// <summary>When the last tick ran (a <see cref="TimeProvider"/> timestamp), for the health check.</summary>
    public long LastTickTimestamp => Volatile.Read(ref _lastTickTimestamp);

    /// <summary>How long ago the last tick ran.</summary>
    public TimeSpan SinceLastTick => time.GetElapsedTime(LastTickTimestamp);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / (options.Value.TickRate * PassesPerTick)), time);
        var pass = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (++pass < PassesPerTick)
                {
                    HandleWaitingInputs();
                    continue;
                }
                pass = 0;
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

    private void HandleWaitingInputs()
    {
        try
        {
            session.HandleWaitingInputs();
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Handing the rooms their waiting inputs failed after tick {Tick}", session.CurrentTick);
        }
    }
}
