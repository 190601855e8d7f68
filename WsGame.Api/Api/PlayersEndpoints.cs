using Microsoft.AspNetCore.Http.HttpResults;
using WsGame.Api.Cluster;
using WsGame.Api.Game.Session;
using WsGame.Api.Hosting;

namespace WsGame.Api.Api;

/// <summary><c>/api/players</c>: who plays where, and the operator's removal of a player.</summary>
public static class PlayersEndpoints
{

    public static RouteGroupBuilder MapPlayersEndpoints(this RouteGroupBuilder api)
    {
        var players = api.MapGroup("/players").WithTags("Players");
        players.MapGet("/", ListPlayers)
            .WithName("ListPlayers")
            .WithSummary("Every joined player")
            .WithDescription("The joined players of the whole cluster with their room, the node it lives on, position and energy, ordered by room then id.");
        players.MapGet("/{id}", GetPlayer)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetPlayer")
            .WithSummary("One player by id")
            .WithDescription("The player with this id (the id the game sent in its welcome); 404 problem details when no such player is joined.");
        players.MapDelete("/{id}", RemovePlayer)
            .RequireApiKey()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("RemovePlayer")
            .WithSummary("Disconnect a player (operator)")
            .WithDescription("Closes the player's WebSocket with close code 4002 (removed by an operator) and gives up its seat at once, held or not. Needs the X-Api-Key header.");
        return api;
    }

    internal static async Task<Ok<List<PlayerResponse>>> ListPlayers(ClusterQueries cluster)
    {
        // Each room answers for itself, between two of its inputs: no room is stopped for the others.
        var rooms = await cluster.RoomsAsync();
        var players = rooms
            .SelectMany(entry => entry.Room.Players.Select(seat => PlayerResponse.From(seat, entry.Room.Name, entry.Node)))
            .OrderBy(player => player.Room, StringComparer.Ordinal)
            .ThenBy(player => player.Id.Length)
            .ThenBy(player => player.Id, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(players);
    }

    internal static async Task<Results<Ok<PlayerResponse>, ProblemHttpResult>> GetPlayer(string id, GameSession session, NodeIdentity node, ClusterQueries cluster)
    {
        if (session.FindPlayer(id) is { } room)
        {
            var summary = await room.QueryAsync();
            if (summary.Players.FirstOrDefault(candidate => candidate.Player.Id == id) is { } local)
            {
                return TypedResults.Ok(PlayerResponse.From(local, summary.Name, node.Name));
            }
        }
        foreach (var (where, other) in await cluster.RoomsAsync(localToo: false))
        {
            if (other.Players.FirstOrDefault(candidate => candidate.Player.Id == id) is { } seat)
            {
                return TypedResults.Ok(PlayerResponse.From(seat, other.Name, where));
            }
        }
        return UnknownPlayer(id);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemovePlayer(string id, ClusterQueries cluster, ILogger<GameSession> logger)
    {
        switch (await cluster.RemoveAsync(id))
        {
            case false:
                return UnknownPlayer(id);
            case null:
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                    detail: $"A node that may have player '{id}' did not answer in time; the removal may still happen there. Try again.");
        }
        logger.LogInformation("An operator removed player {PlayerId}", id);
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

    /// <summary>The node of the cluster its room lives on.</summary>
    /// <example>node-1</example>
    public required string Node { get; init; }

    /// <summary>X of the sprite's top-left corner, in pixels.</summary>
    /// <example>120</example>
    public int Left { get; init; }

    /// <summary>Y of the sprite's top-left corner, in pixels (y grows downwards).</summary>
    /// <example>150</example>
    public int Top { get; init; }

    /// <summary>Energy left this round (0: knocked out).</summary>
    /// <example>30</example>
    public int Energy { get; init; }

    /// <summary>False while the player's connection is lost and its seat is held for it to resume.</summary>
    /// <example>true</example>
    public bool Connected { get; init; }

    /// <summary>When the player's WebSocket connection opened; null while it is away.</summary>
    /// <example>2026-01-01T12:00:00+00:00</example>
    public DateTimeOffset? ConnectedSince { get; init; }

    /// <summary>The profile the player plays under (see GET /api/profiles/{id}); null for none.</summary>
    /// <example>3f9a0c41d2e87b65</example>
    public string? ProfileId { get; init; }

    internal static PlayerResponse From(RoomSummary.Seat seat, string room, string node) => From(seat.Player, room, node, seat.ConnectedSince, seat.ProfileId);

    private static PlayerResponse From(Game.PlayerSnapshot player, string room, string node, DateTimeOffset? connectedSince, string? profileId) => new()
    {
        Node = node,
        ProfileId = profileId,
        Id = player.Id,
        Name = player.Name,
        Sprite = player.Sprite,
        Room = room,
        Left = player.Left,
        Top = player.Top,
        Energy = player.Energy,
        Connected = player.Connected,
        ConnectedSince = connectedSince,
    };
}
