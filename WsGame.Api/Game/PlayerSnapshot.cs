namespace WsGame.Api.Game;

/// <summary>
/// A player as the clients see it at one moment. Positions are whole pixels of the sprite's top-left corner.
/// <see cref="GraceLeftMs"/>: for a player whose connection is lost, how long its seat is still held, so a client
/// that arrives while it is away can count down as one that saw it go.
/// </summary>
public sealed record PlayerSnapshot(
    string Id,
    string Name,
    string Sprite,
    int Slot,
    int Left,
    int Top,
    Direction Direction,
    PlayerStatus Status,
    int Energy,
    int Wins,
    bool KnockedOut,
    bool Connected = true,
    int? GraceLeftMs = null);
