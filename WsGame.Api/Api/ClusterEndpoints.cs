using Microsoft.AspNetCore.Http.HttpResults;
using WsGame.Api.Cluster;

namespace WsGame.Api.Api;

/// <summary><c>GET /api/cluster</c>: the nodes of this node's cluster, as the membership table and their own reports say.</summary>
public static class ClusterEndpoints
{
    public static RouteGroupBuilder MapClusterEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/cluster", GetCluster)
            .WithName("GetCluster")
            .WithTags("Cluster")
            .WithSummary("The nodes of the cluster")
            .WithDescription("Every node the cluster's membership table knows, with its name (as rooms name it), silo address, HTTP address, players, rooms and state (Active, Joining, ShuttingDown, Dead, ...). A single server lists itself.");
        return api;
    }

    internal static async Task<Ok<ClusterNodeResponse[]>> GetCluster(IGrainFactory grains, NodeReporter self)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var reports = (await grains.GetGrain<IClusterDirectoryGrain>(0).Reports()).ToDictionary(report => report.Silo);
        // This node's own figures are read now, not from its last report.
        reports[self.Silo] = self.Current();
        var nodes = hosts
            .OrderBy(host => host.StartTime)
            .Select(host =>
            {
                var silo = host.SiloAddress.ToParsableString();
                var report = reports.GetValueOrDefault(silo);
                var active = host.Status == SiloStatus.Active;
                return new ClusterNodeResponse
                {
                    Name = report?.Name ?? host.SiloName,
                    Silo = silo,
                    Url = report?.Url,
                    Players = active ? report?.Players ?? 0 : 0,
                    Rooms = active ? report?.Rooms ?? 0 : 0,
                    State = host.Status.ToString(),
                };
            })
            .ToArray();
        return TypedResults.Ok(nodes);
    }
}

/// <summary>One node of the cluster.</summary>
public sealed record ClusterNodeResponse
{
    /// <summary>The node's name, as <c>/api/rooms</c> names the node a room lives on (<c>WsGame:Cluster:NodeName</c>).</summary>
    /// <example>node-1</example>
    public required string Name { get; init; }

    /// <summary>Its Orleans silo address: IP, silo port and generation.</summary>
    /// <example>127.0.0.1:11111@503000000</example>
    public required string Silo { get; init; }

    /// <summary>Its HTTP address (<c>WsGame:Cluster:PublicUrl</c>, or where it listens); null when it never reported.</summary>
    /// <example>http://127.0.0.1:8080</example>
    public string? Url { get; init; }

    /// <summary>Players seated on its rooms' connections now, as of its last report (0 unless Active).</summary>
    /// <example>42</example>
    public int Players { get; init; }

    /// <summary>Rooms open on it now, as of its last report (0 unless Active).</summary>
    /// <example>21</example>
    public int Rooms { get; init; }

    /// <summary>Its state in the membership table: Active, Joining, ShuttingDown, Stopping or Dead.</summary>
    /// <example>Active</example>
    public required string State { get; init; }
}
