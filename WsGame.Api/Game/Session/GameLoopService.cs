using Microsoft.Extensions.Options;

namespace WsGame.Api.Game.Session;

/// <summary>The fixed tick (WsGame:Game:TickRate per second) that pushes each room's changes.</summary>
internal sealed class GameLoopService(GameSession session, IOptions<GameOptions> options, TimeProvider time, ILogger<GameLoopService> logger)
    : BackgroundService
{
    /// <summary>When the last tick ran, for the health check.</summary>
    public long LastTickTimestamp { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / options.Value.TickRate), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    session.Tick();
                    LastTickTimestamp = time.GetTimestamp();
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
