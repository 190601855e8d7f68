namespace WsGame.Api.Game.Rooms;

/// <summary>What a room can be told; one <see cref="RoomInput"/> carries one of these.</summary>
public enum RoomInputKind : byte
{
    /// <summary>A connection asks for a seat (<see cref="RoomInput.PlayerId"/>, name, sprite, first resume token).</summary>
    Join,
    /// <summary>A connection presents a resume token to take a held (or half-open) seat back.</summary>
    Resume,
    /// <summary>A connection asks to watch.</summary>
    Spectate,
    Move,
    Attack,
    Chat,
    Rematch,
    /// <summary>The player leaves by choice (the <c>leave</c> message): no seat is held.</summary>
    Leave,
    /// <summary>The connection ended: a seat is held for the grace unless the client closed with 1000 (<see cref="RoomInput.Consented"/>).</summary>
    Disconnect,
    /// <summary>A message from a joined connection that could not be used: the room answers it in that stream.</summary>
    Invalid,
    /// <summary>The operator removes a player (<see cref="RoomInput.PlayerId"/>).</summary>
    Remove,
    /// <summary>An operator's announcement to everyone in the room.</summary>
    Announce,
    /// <summary>The room's own clock: held seats expire, and what changed since the last tick is sent.</summary>
    Tick,
}

/// <summary>
/// One message for a room, from a connection (named by an opaque <see cref="Connection"/> key, never a
/// connection object), the operator or the clock. Only the fields of its <see cref="Kind"/> mean anything.
/// A plain value: the room keeps no reference to whoever sent it.
/// </summary>
public readonly record struct RoomInput
{
    public RoomInputKind Kind { get; init; }

    /// <summary>The sender's connection key (unique for the life of the process); 0 for the operator and the clock.</summary>
    public long Connection { get; init; }

    /// <summary>When the input arrived, on the game's monotonic clock.</summary>
    public TimeSpan At { get; init; }

    /// <summary>Join and Remove: the player's id.</summary>
    public string? PlayerId => Details?.PlayerId;

    /// <summary>Join and Spectate: the name; Chat and Announce: the text; Invalid: the error message.</summary>
    public string? Text { get; init; }

    /// <summary>Join: the sprite. Invalid: the field named in the error, if any.</summary>
    public string? Sprite => Details?.Sprite;

    /// <summary>Resume: the token presented.</summary>
    public string? Token => Details?.Token;

    /// <summary>Join and Resume: the token the next resume of this seat must present (drawn by the caller: the room draws no random numbers).</summary>
    public string? NextToken => Details?.NextToken;

    /// <summary>Join: the profile the player plays under (found by the caller: the room never asks storage); null for none.</summary>
    public Results.PlayerProfile? Profile => Details?.Profile;

    // What only joins, resumes, removals and refusals carry, in one object: a move, the commonest input, then
    // holds two references instead of six, and each reference in a struct copied into and out of a mailbox is
    // a write barrier there.
    private Rare? Details { get; init; }

    private sealed record Rare(string? PlayerId = null, string? Sprite = null, string? Token = null, string? NextToken = null, Results.PlayerProfile? Profile = null);

    /// <summary>Resume: the last sequence number the client saw. Tick: the tick's number.</summary>
    public long Number { get; init; }

    public int Left { get; init; }

    public int Top { get; init; }

    public Direction Direction { get; init; }

    public PlayerStatus Status { get; init; }

    /// <summary>Disconnect: the client closed with 1000, which is leaving; any other end holds the seat.</summary>
    public bool Consented { get; init; }

    public static RoomInput Join(long connection, TimeSpan at, string playerId, string name, string sprite, string token, Results.PlayerProfile? profile = null) =>
        new() { Kind = RoomInputKind.Join, Connection = connection, At = at, Text = name, Details = new(PlayerId: playerId, Sprite: sprite, NextToken: token, Profile: profile) };

    public static RoomInput Resume(long connection, TimeSpan at, string token, long lastSeen, string nextToken) =>
        new() { Kind = RoomInputKind.Resume, Connection = connection, At = at, Number = lastSeen, Details = new(Token: token, NextToken: nextToken) };

    public static RoomInput Spectate(long connection, TimeSpan at, string name) =>
        new() { Kind = RoomInputKind.Spectate, Connection = connection, At = at, Text = name };

    public static RoomInput Move(long connection, TimeSpan at, int left, int top, Direction direction, PlayerStatus status) =>
        new() { Kind = RoomInputKind.Move, Connection = connection, At = at, Left = left, Top = top, Direction = direction, Status = status };

    public static RoomInput Attack(long connection, TimeSpan at) => new() { Kind = RoomInputKind.Attack, Connection = connection, At = at };

    public static RoomInput Chat(long connection, TimeSpan at, string text) => new() { Kind = RoomInputKind.Chat, Connection = connection, At = at, Text = text };

    public static RoomInput Rematch(long connection, TimeSpan at) => new() { Kind = RoomInputKind.Rematch, Connection = connection, At = at };

    public static RoomInput Leave(long connection, TimeSpan at) => new() { Kind = RoomInputKind.Leave, Connection = connection, At = at };

    public static RoomInput Disconnect(long connection, TimeSpan at, bool consented) =>
        new() { Kind = RoomInputKind.Disconnect, Connection = connection, At = at, Consented = consented };

    public static RoomInput Invalid(long connection, TimeSpan at, string message, string? field = null) =>
        new() { Kind = RoomInputKind.Invalid, Connection = connection, At = at, Text = message, Details = field is null ? null : new(Sprite: field) };

    public static RoomInput Remove(TimeSpan at, string playerId) => new() { Kind = RoomInputKind.Remove, At = at, Details = new(PlayerId: playerId) };

    public static RoomInput Announce(TimeSpan at, string text) => new() { Kind = RoomInputKind.Announce, At = at, Text = text };

    public static RoomInput Tick(TimeSpan at, long tick) => new() { Kind = RoomInputKind.Tick, At = at, Number = tick };
}
