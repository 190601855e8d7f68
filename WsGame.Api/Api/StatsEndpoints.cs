using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
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
            .WithDescription("Uptime, connections, players, rooms, message and byte counts, ticks, broadcast fan-out, rounds, knock-outs, closes by code and allocated bytes.");
        return api;
    }

    internal static Ok<StatsResponse> GetStats(GameSession session, ConnectionRegistry registry)
    {
        var stats = session.Stats;
        return TypedResults.Ok(new StatsResponse
        {
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
            AllocatedBytes = GC.GetTotalAllocatedBytes(precise: false),
        });
    }
}

/// <summary>The server's counters; every count is since the server started unless it says "now".</summary>
public sealed record StatsResponse
{
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
