using Microsoft.Extensions.Options;
using WsGame.Api.Cluster.PostgreSql;

namespace WsGame.Api.Cluster;

/// <summary>Creates Orleans' membership tables in PostgreSQL, if missing, before the silo starts and needs them.</summary>
internal sealed class PostgresClusterSchemaService(IOptions<ClusterSettings> settings, IConfiguration configuration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        PostgresClusterSchema.EnsureAsync(ClusterSettingsValidator.PostgresConnectionString(settings.Value, configuration)!, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
