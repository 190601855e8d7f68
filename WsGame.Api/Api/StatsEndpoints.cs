using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using WsGame.Api.Cluster;
using WsGame.Api.Game.Session;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Api;

/// <summary><c>GET /api/stats</c>: the server's counters in one document.</summary>
public static class StatsEndpoints
{
    public static RouteGroupBuilder MapStatsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", GetStats)
            .WithName("GetStats")
            .WithTags("Stats")
            .WithSummary("Server statistics")
            .WithDescription("This node's uptime, connections, players, rooms, message and byte counts, ticks, broadcast fan-out, rounds, knock-outs, closes by code and allocated bytes; and the whole cluster's nodes, connections, players, rooms and messages, as its nodes last reported them (within 2 s).");
        return api;
    }

    internal static async Task<Ok<StatsResponse>> GetStats(GameSession session, ConnectionRegistry registry, ClusterQueries cluster)
    {
        // Read first: the allocation benchmark reads it around a window, and the cluster's totals below allocate.
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var stats = session.Stats;
        var nodes = await cluster.ActiveReportsAsync();
        return TypedResults.Ok(new StatsResponse
        {
            Cluster = new ClusterStatsResponse
            {
                Nodes = nodes.Length,
                ConnectionsOpen = nodes.Sum(node => node.ConnectionsOpen),
                Players = nodes.Sum(node => node.Players),
                Rooms = nodes.Sum(node => node.Rooms),
                MessagesIn = nodes.Sum(node => node.MessagesIn),
                MessagesOut = nodes.Sum(node => node.MessagesOut),
            },
            UptimeSeconds = Math.Round(session.Now.TotalSeconds, 3),
            ConnectionsOpen = registry.OpenCount,
            ConnectionsTotal = registry.TotalOpened,
            Players = session.PlayerCount,
            Rooms = session.RoomCount,
            MessagesIn = stats.MessagesIn,
            MessagesOut = stats.MessagesOut,
            BytesIn = registry.BytesIn,
            BytesOut = registry.BytesOut,
            Ticks = stats.Ticks,
            AverageFanOut = Math.Round(stats.AverageFanOut, 3),
            MaxFanOut = stats.MaxFanOut,
            Rounds = stats.Rounds,
            KnockOuts = stats.KnockOuts,
            GameErrors = stats.Errors,
            ClosedByCode = registry.ClosedByCode
                .OrderBy(entry => entry.Key)
                .ToDictionary(entry => entry.Key.ToString(CultureInfo.InvariantCulture), entry => entry.Value),
            AllocatedBytes = allocated,
        });
    }
}

/// <summary>The server's counters; every count is since the server started unless it says "now".</summary>
public sealed record StatsResponse
{
    /// <summary>The whole cluster (this node alone when it is one), as the active nodes last reported.</summary>
    public required ClusterStatsResponse Cluster { get; init; }

    /// <summary>Seconds since the server started.</summary>
    /// <example>3600.5</example>
    public double UptimeSeconds { get; init; }

    /// <summary>WebSocket connections open now (game and echo).</summary>
    /// <example>12</example>
    public int ConnectionsOpen { get; init; }

    /// <summary>WebSocket connections opened since start.</summary>
    /// <example>340</example>
    public long ConnectionsTotal { get; init; }

    /// <summary>Players joined now.</summary>
    /// <example>10</example>
    public int Players { get; init; }

    /// <summary>Rooms open now.</summary>
    /// <example>5</example>
    public int Rooms { get; init; }

    /// <summary>Game messages received from clients.</summary>
    /// <example>152000</example>
    public long MessagesIn { get; init; }

    /// <summary>Game messages queued to clients (one per recipient).</summary>
    /// <example>610000</example>
    public long MessagesOut { get; init; }

    /// <summary>WebSocket bytes received, frame headers included.</summary>
    /// <example>9800000</example>
    public long BytesIn { get; init; }

    /// <summary>WebSocket bytes sent, frame headers included.</summary>
    /// <example>48000000</example>
    public long BytesOut { get; init; }

    /// <summary>Game loop ticks.</summary>
    /// <example>72010</example>
    public long Ticks { get; init; }

    /// <summary>Recipients per room broadcast, on average.</summary>
    /// <example>1.95</example>
    public double AverageFanOut { get; init; }

    /// <summary>The most recipients of one room broadcast.</summary>
    /// <example>2</example>
    public long MaxFanOut { get; init; }

    /// <summary>Rounds started.</summary>
    /// <example>41</example>
    public long Rounds { get; init; }

    /// <summary>Rounds ended by a knock-out.</summary>
    /// <example>37</example>
    public long KnockOuts { get; init; }

    /// <summary>Error answers sent to clients: bad JSON, unknown type, a bad field, a full room.</summary>
    /// <example>3</example>
    public long GameErrors { get; init; }

    /// <summary>Connections that ended, by close code (1006: dropped without a close handshake; 1008: send queue full or removed).</summary>
    /// <example>{"1000": 300, "1001": 12, "1006": 16}</example>
    public IReadOnlyDictionary<string, long> ClosedByCode { get; init; } = new Dictionary<string, long>();

    /// <summary>Bytes allocated by the process since start (GC.GetTotalAllocatedBytes), for benchmarks.</summary>
    /// <example>1073741824</example>
    public long AllocatedBytes { get; init; }
}

/// <summary>
/// The active nodes of the cluster added up: this node's figures now, the others' as they last reported them
/// (every 2 s). The rest of the statistics are this node's own.
/// </summary>
public sealed record ClusterStatsResponse
{
    /// <summary>Active nodes.</summary>
    /// <example>3</example>
    public int Nodes { get; init; }

    /// <summary>WebSocket connections open now on all of them.</summary>
    /// <example>1200</example>
    public int ConnectionsOpen { get; init; }

    /// <summary>Players with a seat now.</summary>
    /// <example>1000</example>
    public int Players { get; init; }

    /// <summary>Rooms open now.</summary>
    /// <example>500</example>
    public int Rooms { get; init; }

    /// <summary>Game messages received from clients since each node started.</summary>
    public long MessagesIn { get; init; }

    /// <summary>Game messages queued to clients since each node started.</summary>
    public long MessagesOut { get; init; }
}
