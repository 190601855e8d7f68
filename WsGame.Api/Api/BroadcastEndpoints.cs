using WsGame.Api.Cluster;
using Microsoft.AspNetCore.Http.HttpResults;
using WsGame.Api.Game.Session;

namespace WsGame.Api.Api;

/// <summary><c>POST /api/broadcast</c>: an operator's announcement to every joined player.</summary>
public static class BroadcastEndpoints
{
    public const int MaxMessageLength = 500;

    public static RouteGroupBuilder MapBroadcastEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/broadcast", Broadcast)
            .RequireApiKey()
            .WithName("Broadcast")
            .WithTags("Operations")
            .WithSummary("Announce to every player (operator)")
            .WithDescription("Sends {\"type\":\"status\",\"message\":\"[server] ...\",\"id\":\"server\"} to every joined player of every node of the cluster. Needs the X-Api-Key header.");
        return api;
    }

    internal static async Task<Results<Ok<BroadcastResponse>, ValidationProblem>> Broadcast(BroadcastRequest? request, ClusterQueries cluster, ILogger<GameSession> logger)
    {
        // The body is optional to the binder so that the key is checked first; it is required here.
        var message = request?.Message;
        if (string.IsNullOrWhiteSpace(message) || message.Length > MaxMessageLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["message"] = [$"A message of 1-{MaxMessageLength} characters, not only spaces, is required."],
            });
        }
        var recipients = await cluster.AnnounceAsync(message);
        logger.LogInformation("An operator broadcast to {Recipients} players: {Message}", recipients, message);
        return TypedResults.Ok(new BroadcastResponse { Recipients = recipients });
    }
}

/// <summary>An announcement to send to every joined player.</summary>
public sealed record BroadcastRequest
{
    /// <summary>The text, 1-500 characters; players see it prefixed with "[server] ".</summary>
    /// <example>The server restarts in 5 minutes.</example>
    public string? Message { get; init; }
}

/// <summary>What a broadcast reached.</summary>
public sealed record BroadcastResponse
{
    /// <summary>Joined players the announcement was queued to.</summary>
    /// <example>10</example>
    public int Recipients { get; init; }
}
