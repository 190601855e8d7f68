namespace WsGame.Api.Game.Rooms;

/// <summary>
/// What a room says, as plain immutable data: the wire layer turns each into JSON once, however many it goes
/// to (docs/protocol.md has every shape). The room keeps the recent ones to replay after a resume.
/// </summary>
public abstract record RoomMessage;

/// <summary>A line for the chat log about a player (joined, left, lost connection, back) or from the operator (<c>id</c> "server").</summary>
public sealed record StatusMessage(string Message, string Id) : RoomMessage;

public sealed record ChatMessage(string Sender, string Id, string Message, bool Spectator) : RoomMessage;

/// <summary>The authoritative position of the mover, when it differs from what the client asked for.</summary>
public sealed record CorrectionMessage(string Id, int Left, int Top) : RoomMessage;

public sealed record ErrorMessage(string Message, string? Field = null, int? Code = null) : RoomMessage;

public sealed record RoundMessage(int Round, IReadOnlyList<PlayerSnapshot> Players) : RoomMessage;

/// <summary>A round's end, with what it did to each player's rating (<paramref name="Match"/>; null when the room has no record of it).</summary>
public sealed record KnockOutMessage(RoundEnd End, Results.MatchResult? Match = null) : RoomMessage;

/// <summary>The whole room at once, for a member that fell behind or whose missed messages are no longer kept.</summary>
public sealed record SnapshotMessage(long Tick, int Round, IReadOnlyList<PlayerSnapshot> Players) : RoomMessage;

/// <summary>The seed's answer to <c>leave</c>: <c>{"code":0,"message":"success"}</c>.</summary>
public sealed record LeftMessage : RoomMessage
{
    public static LeftMessage Instance { get; } = new();
}

/// <summary>What changed in one tick: the players whose motion changed, newcomers, leavers and attacks.</summary>
public sealed record UpdateMessage(
    long Tick,
    IReadOnlyList<MotionEntry> Players,
    IReadOnlyList<PlayerSnapshot> Joined,
    IReadOnlyList<string> Left,
    IReadOnlyList<AttackEntry> Attacks) : RoomMessage;

/// <summary>
/// A player's motion in an update. <see cref="Connected"/> is written when false, and when it turned true
/// this tick (<see cref="Returned"/>), so a client reads "connected unless it says otherwise".
/// </summary>
public readonly record struct MotionEntry(string Id, int Left, int Top, Direction Direction, PlayerStatus Status, int Energy, bool Connected, bool Returned);

public sealed record AttackEntry(string Id, Direction Direction, IReadOnlyList<Hit> Hits);

/// <summary>
/// The answer to a join, a resume or a spectate (not part of the numbered stream: what follows it is numbered).
/// Carries the rule values a client needs, so that a page copies none of them by hand.
/// </summary>
public sealed record WelcomeMessage(
    string Id,
    string Room,
    PlayerSnapshot? You,
    IReadOnlyList<PlayerSnapshot> Players,
    int Round,
    RoundPhase Phase,
    string? ResumeToken,
    bool Resumed,
    bool Spectator,
    GameOptions Rules,
    Results.PlayerProfile? Profile = null) : RoomMessage;
