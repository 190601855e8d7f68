namespace WsGame.Api.Game.Wire;

/// <summary>
/// The handler's own error texts and the wire names of directions and statuses on <c>/ws</c>
/// (docs/protocol.md); the messages themselves are written by <see cref="RoomMessageWriter"/>.
/// </summary>
public static class ServerMessages
{
    public const string InvalidJson = "Invalid JSON format.";
    public const string NotJoined = "Invalid message format or not joined.";
    public const string BinaryNotSupported = "Binary messages are not supported: send JSON text.";

    public static ReadOnlySpan<byte> DirectionName(Direction direction) => direction switch
    {
        Direction.UP => "UP"u8,
        Direction.DOWN => "DOWN"u8,
        Direction.LEFT => "LEFT"u8,
        _ => "RIGHT"u8,
    };

    public static ReadOnlySpan<byte> StatusName(PlayerStatus status) => status switch
    {
        PlayerStatus.MOVE => "MOVE"u8,
        PlayerStatus.ATTACK => "ATTACK"u8,
        _ => "STAY"u8,
    };
}
