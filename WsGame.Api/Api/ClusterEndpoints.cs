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

    internal static async Task<Ok<ClusterNodeResponse[]>> GetCluster(ClusterQueries cluster)
    {
        // This node's own view of the membership table (no read of the table per request), and the reports.
        var reports = await cluster.ReportsAsync();
        var nodes = cluster.Members
            .Select(member =>
            {
                var silo = member.SiloAddress.ToParsableString();
                var report = reports.GetValueOrDefault(silo);
                var active = member.Status == SiloStatus.Active;
                return new ClusterNodeResponse
                {
                    Name = report?.Name ?? member.Name,
                    Silo = silo,
                    Url = report?.Url,
                    Players = active ? report?.Players ?? 0 : 0,
                    Rooms = active ? report?.Rooms ?? 0 : 0,
                    State = member.Status.ToString(),
                };
            })
            .OrderBy(node => node.Name, StringComparer.Ordinal)
            .ThenBy(node => node.Silo, StringComparer.Ordinal)
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
