namespace WsGame.Api.Game.Wire;

/// <summary>The kinds of message a client sends on <c>/ws</c> (docs/protocol.md).</summary>
public enum ClientMessageType : byte
{
    Unknown,
    Join,
    Move,
    Attack,
    Chat,
    Rematch,
    Leave,
}

/// <summary>
/// One parsed client message. Only the fields of its <see cref="Type"/> are meaningful. A move
/// carries no strings, so the hot path allocates nothing.
/// </summary>
public struct ClientMessage
{
    public ClientMessageType Type;
    public string? Name;
    public string? Sprite;
    public string? Room;
    public string? Text;
    public int Left;
    public int Top;
    public Direction Direction;
    public PlayerStatus Status;
}
