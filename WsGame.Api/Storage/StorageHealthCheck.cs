using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WsGame.Api.Storage;

/// <summary>
/// Degraded, never Unhealthy: while the database is out, or results were dropped in the last minute, games go
/// on and only their records wait (or are lost), so the server should stay in a load balancer's rotation.
/// </summary>
public sealed class StorageHealthCheck(ResultWriter writer, ResultQueue queue) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The counts go in the description: /health's answer shows each check's status and description.
        if (writer.InOutage)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"The database is unavailable ({writer.OutageDuration.TotalSeconds:0} s): {queue.Count} results wait in memory"));
        }
        if (queue.LastDropTicks is var dropped and not 0 && Environment.TickCount64 - dropped < 60_000)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"The result queue was full in the last minute: {queue.Dropped} results dropped since start"));
        }
        return Task.FromResult(HealthCheckResult.Healthy($"Results are being stored ({writer.Written} written since start)"));
    }
}
