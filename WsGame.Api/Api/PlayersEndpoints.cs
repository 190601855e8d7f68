using Microsoft.AspNetCore.Http.HttpResults;
using WsGame.Api.Game.Session;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Api;

/// <summary><c>/api/players</c>: who plays where, and the operator's removal of a player.</summary>
public static class PlayersEndpoints
{
    public const string RemovedReason = "removed by an operator";

    public static RouteGroupBuilder MapPlayersEndpoints(this RouteGroupBuilder api)
    {
        var players = api.MapGroup("/players").WithTags("Players");
        players.MapGet("/", ListPlayers)
            .WithName("ListPlayers")
            .WithSummary("Every joined player")
            .WithDescription("Joined players with their room, position and energy, ordered by room then id.");
        players.MapGet("/{id}", GetPlayer)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetPlayer")
            .WithSummary("One player by id")
            .WithDescription("The player with this id (the id the game sent in its welcome); 404 problem details when no such player is joined.");
        players.MapDelete("/{id}", RemovePlayer)
            .RequireApiKey()
            .WithName("RemovePlayer")
            .WithSummary("Disconnect a player (operator)")
            .WithDescription("Closes the player's WebSocket with close code 1008 and the reason \"removed by an operator\"; the player leaves its room when the close completes. Needs the X-Api-Key header.");
        return api;
    }

    internal static Ok<List<PlayerResponse>> ListPlayers(GameSession session)
    {
        // Positions first (each room under its lock), then when each player connected: a player
        // who left in between is not listed, one who joined in between waits for the next call.
        var snapshots = session.Rooms.SelectMany(room => room.Snapshot().Select(player => (Room: room.Name, Player: player))).ToList();
        var connectedAt = new Dictionary<string, DateTimeOffset>();
        foreach (var client in session.Clients)
        {
            if (client.Player is { } player)
            {
                connectedAt[player.Id] = client.ConnectedAt;
            }
        }
        var players = snapshots
            .Where(entry => connectedAt.ContainsKey(entry.Player.Id))
            .Select(entry => PlayerResponse.From(entry.Player, entry.Room, connectedAt[entry.Player.Id]))
            .OrderBy(player => player.Room, StringComparer.Ordinal)
            .ThenBy(player => player.Id.Length)
            .ThenBy(player => player.Id, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(players);
    }

    internal static Results<Ok<PlayerResponse>, ProblemHttpResult> GetPlayer(string id, GameSession session)
    {
        var client = session.FindPlayer(id);
        var room = client?.Room;
        var player = room?.Snapshot().FirstOrDefault(candidate => candidate.Id == id);
        if (client is null || room is null || player is null)
        {
            return UnknownPlayer(id);
        }
        return TypedResults.Ok(PlayerResponse.From(player, room.Name, client.ConnectedAt));
    }

    internal static Results<NoContent, ProblemHttpResult> RemovePlayer(string id, GameSession session, ILogger<GameSession> logger)
    {
        var client = session.FindPlayer(id);
        if (client is null)
        {
            return UnknownPlayer(id);
        }
        logger.LogInformation("An operator removed player {PlayerId} (connection {ConnectionId})", id, client.Connection.Id);
        client.Connection.Close(CloseCode.PolicyViolation, RemovedReason);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult UnknownPlayer(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"No player with id '{id}' is joined.");
}

/// <summary>A joined player as the server knows it now.</summary>
public sealed record PlayerResponse
{
    /// <summary>The player's id, as sent to the clients (unique for the life of the server).</summary>
    /// <example>17</example>
    public required string Id { get; init; }

    /// <summary>The name the player joined with.</summary>
    /// <example>Alice</example>
    public required string Name { get; init; }

    /// <summary>The sprite sheet the clients draw: knight, ninja, mage or archer.</summary>
    /// <example>knight</example>
    public required string Sprite { get; init; }

    /// <summary>The room the player is in.</summary>
    /// <example>ROOM3</example>
    public required string Room { get; init; }

    /// <summary>X of the sprite's top-left corner, in pixels.</summary>
    /// <example>120</example>
    public int Left { get; init; }

    /// <summary>Y of the sprite's top-left corner, in pixels (y grows downwards).</summary>
    /// <example>150</example>
    public int Top { get; init; }

    /// <summary>Energy left this round (0: knocked out).</summary>
    /// <example>30</example>
    public int Energy { get; init; }

    /// <summary>When the player's WebSocket connection opened.</summary>
    /// <example>2026-01-01T12:00:00+00:00</example>
    public DateTimeOffset ConnectedSince { get; init; }

    internal static PlayerResponse From(Game.PlayerSnapshot player, string room, DateTimeOffset connectedSince) => new()
    {
        Id = player.Id,
        Name = player.Name,
        Sprite = player.Sprite,
        Room = room,
        Left = player.Left,
        Top = player.Top,
        Energy = player.Energy,
        ConnectedSince = connectedSince,
    };
}
