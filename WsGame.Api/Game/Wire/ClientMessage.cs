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
    Resume,
    Spectate,
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
    /// <summary>Resume: the token from the last welcome.</summary>
    public string? Token;
    /// <summary>Join: the profile token from an earlier welcome, if the client kept one.</summary>
    public string? Profile;
    /// <summary>Resume: the last <c>seq</c> the client saw (0: none).</summary>
    public long Seq;
    public int Left;
    public int Top;
    public Direction Direction;
    public PlayerStatus Status;
}
