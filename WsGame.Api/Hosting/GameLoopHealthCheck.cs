using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WsGame.Api.Game;
using WsGame.Api.Game.Session;

namespace WsGame.Api.Hosting;

/// <summary>
/// Unhealthy when the game loop stopped ticking: its last tick is older than
/// <see cref="StallTicks"/> tick intervals (and never less than <see cref="MinimumStall"/>, so a
/// busy machine's scheduling noise is not a failure).
/// </summary>
internal sealed class GameLoopHealthCheck(GameLoopService loop, IOptions<GameOptions> options) : IHealthCheck
{
    public const int StallTicks = 10;

    public static readonly TimeSpan MinimumStall = TimeSpan.FromSeconds(2);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Evaluate(loop.SinceLastTick, options.Value.TickInterval));

    /// <summary>The verdict for a loop whose last tick was <paramref name="sinceLastTick"/> ago.</summary>
    public static HealthCheckResult Evaluate(TimeSpan sinceLastTick, TimeSpan tickInterval)
    {
        var limit = StallLimit(tickInterval);
        return sinceLastTick <= limit
            ? HealthCheckResult.Healthy("ticking")
            : HealthCheckResult.Unhealthy($"no game tick for {sinceLastTick.TotalSeconds:0.0} s (limit {limit.TotalSeconds:0.0} s)");
    }

    public static TimeSpan StallLimit(TimeSpan tickInterval)
    {
        var limit = tickInterval * StallTicks;
        return limit > MinimumStall ? limit : MinimumStall;
    }
}
