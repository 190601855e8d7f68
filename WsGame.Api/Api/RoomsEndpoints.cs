using Microsoft.AspNetCore.Http.HttpResults;
using WsGame.Api.Cluster;
using WsGame.Api.Game;
using WsGame.Api.Game.Session;
using WsGame.Api.Hosting;

namespace WsGame.Api.Api;

/// <summary><c>/api/rooms</c>: the open rooms, their round and who is in them (for operators and the lobby).</summary>
public static class RoomsEndpoints
{
    public static RouteGroupBuilder MapRoomsEndpoints(this RouteGroupBuilder api)
    {
        var rooms = api.MapGroup("/rooms").WithTags("Rooms");
        rooms.MapGet("/", ListRooms)
            .WithName("ListRooms")
            .WithSummary("Every open room")
            .WithDescription("The open rooms of the whole cluster by name, each with the node it lives on, its phase, round, players (connected or with a held seat) and number of spectators.");
        rooms.MapGet("/{name}", GetRoom)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetRoom")
            .WithSummary("One room by name")
            .WithDescription("The room with this name; 404 problem details when no such room is open.");
        return api;
    }

    internal static async Task<Ok<List<RoomResponse>>> ListRooms(ClusterQueries cluster)
    {
        var rooms = await cluster.RoomsAsync();
        return TypedResults.Ok(rooms.Select(entry => RoomResponse.From(entry.Room, entry.Node))
            .OrderBy(room => room.Name, StringComparer.Ordinal).ThenBy(room => room.Node, StringComparer.Ordinal).ToList());
    }

    internal static async Task<Results<Ok<RoomResponse>, ProblemHttpResult>> GetRoom(string name, GameSession session, NodeIdentity node, ClusterQueries cluster)
    {
        if (session.FindRoom(name) is { } room)
        {
            return TypedResults.Ok(RoomResponse.From(await room.QueryAsync(), node.Name));
        }
        var found = (await cluster.RoomsAsync(localToo: false)).FirstOrDefault(entry => entry.Room.Name == name);
        return found.Room is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"No room named '{name}' is open.")
            : TypedResults.Ok(RoomResponse.From(found.Room, found.Node));
    }
}

/// <summary>An open room as it is now.</summary>
public sealed record RoomResponse
{
    /// <summary>The room's name: chosen by a player, or ROOM and a number when made by matchmaking.</summary>
    /// <example>ROOM1</example>
    public required string Name { get; init; }

    /// <summary>Made by matchmaking (anyone may be matched into it) rather than named by a player.</summary>
    /// <example>true</example>
    public bool Public { get; init; }

    /// <summary>waiting (for a second player), live (a round is on) or over (waiting for a rematch).</summary>
    /// <example>live</example>
    public required string Phase { get; init; }

    /// <summary>Number of the current or last round; 0 before the first.</summary>
    /// <example>1</example>
    public int Round { get; init; }

    /// <summary>The players, in slot order.</summary>
    public required IReadOnlyList<RoomPlayerResponse> Players { get; init; }

    /// <summary>How many are watching.</summary>
    /// <example>3</example>
    public int Spectators { get; init; }

    /// <summary>The node of the cluster the room lives on (its WsGame:Cluster:NodeName, as GET /api/cluster lists it).</summary>
    /// <example>node-1</example>
    public required string Node { get; init; }

    internal static RoomResponse From(RoomSummary room, string node) => new()
    {
        Node = node,
        Name = room.Name,
        Public = room.IsPublic,
        Phase = room.Phase switch { RoundPhase.Live => "live", RoundPhase.Over => "over", _ => "waiting" },
        Round = room.Round,
        Players = [.. room.Players.Select(seat => new RoomPlayerResponse
        {
            Id = seat.Player.Id,
            Name = seat.Player.Name,
            Sprite = seat.Player.Sprite,
            Energy = seat.Player.Energy,
            Wins = seat.Player.Wins,
            Connected = seat.Player.Connected,
        })],
        Spectators = room.Spectators,
    };
}

/// <summary>A player in a room.</summary>
public sealed record RoomPlayerResponse
{
    /// <example>17</example>
    public required string Id { get; init; }

    /// <example>Alice</example>
    public required string Name { get; init; }

    /// <example>knight</example>
    public required string Sprite { get; init; }

    /// <summary>Energy left this round (0: knocked out).</summary>
    /// <example>30</example>
    public int Energy { get; init; }

    /// <summary>Rounds won in this room.</summary>
    /// <example>2</example>
    public int Wins { get; init; }

    /// <summary>False while the player's connection is lost and its seat is held for it.</summary>
    /// <example>true</example>
    public bool Connected { get; init; }
}
