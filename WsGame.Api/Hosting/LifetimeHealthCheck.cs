using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WsGame.Api.Hosting;

/// <summary>Ready from the moment the host has started until it begins to stop.</summary>
internal sealed class LifetimeHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result =
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("the server is stopping")
            : lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Healthy("accepting connections")
            : HealthCheckResult.Unhealthy("the server is starting");
        return Task.FromResult(result);
    }
}
