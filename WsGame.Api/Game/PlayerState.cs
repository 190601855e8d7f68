namespace WsGame.Api.Game;

/// <summary>
/// One player in a room, as the server knows it. The rules (<see cref="Arena"/>, <see cref="RoomRules"/>)
/// are the only writers, hence the internal setters; the session reads it, or sends a <see cref="Snapshot"/>.
/// Not thread-safe: the owner of the room serialises every call.
/// </summary>
public sealed class PlayerState
{
    public PlayerState(string id, string name, string sprite)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(sprite);
        Id = id;
        Name = name;
        Sprite = sprite;
    }

    /// <summary>The session's identifier for this player, unique in its room.</summary>
    public string Id { get; }

    public string Name { get; }

    /// <summary>Which sprite sheet the clients draw; the rules do not interpret it.</summary>
    public string Sprite { get; }

    /// <summary>The room slot, which decides the spawn point.</summary>
    public int Slot { get; internal set; }

    /// <summary>X of the sprite box's top-left corner, in whole pixels.</summary>
    public int Left { get; internal set; }

    /// <summary>Y of the sprite box's top-left corner, in whole pixels (y grows downwards).</summary>
    public int Top { get; internal set; }

    public Direction Direction { get; internal set; }

    public PlayerStatus Status { get; internal set; }

    public int Energy { get; internal set; }

    /// <summary>Rounds this player won by knocking the others out, since joining the room.</summary>
    public int Wins { get; internal set; }

    /// <summary>Energy reached 0 this round: the player can neither move nor attack, and is no obstacle.</summary>
    public bool KnockedOut { get; internal set; }

    /// <summary>When the last accepted attack happened, on the caller's clock; null when none this round.</summary>
    public TimeSpan? LastAttackAt { get; internal set; }

    /// <summary>When the last move was handled (by <see cref="RoomRules.Move(string, int, int, Direction, PlayerStatus, TimeSpan)"/>); null when none this round.</summary>
    public TimeSpan? LastMoveAt { get; internal set; }

    /// <summary>
    /// Pixels this player may still walk beyond what the time since its last move allows; see
    /// <see cref="GameOptions.MoveTolerance"/> and <see cref="Arena.Move"/>.
    /// </summary>
    public double MoveCredit { get; internal set; }

    /// <summary>
    /// The player's connection dropped and its seat is held for it (<see cref="GameOptions.ReconnectGrace"/>):
    /// it does not move, and nobody can hit it until it is back.
    /// </summary>
    public bool Away { get; internal set; }

    /// <summary>Asked for a rematch since the round ended.</summary>
    public bool WantsRematch { get; internal set; }

    /// <summary>An immutable copy of what clients may see, for sending while the state changes on.</summary>
    public PlayerSnapshot Snapshot() =>
        new(Id, Name, Sprite, Slot, Left, Top, Direction, Status, Energy, Wins, KnockedOut, !Away);
}
