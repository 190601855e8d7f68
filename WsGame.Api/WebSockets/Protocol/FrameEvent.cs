namespace WsGame.Api.WebSockets.Protocol;

public enum FrameEventKind : byte
{
    /// <summary>Everything in the buffer was used; read more bytes and call again.</summary>
    NeedMoreData,
    /// <summary>A whole data message (fragments reassembled, unmasked, UTF-8 checked for text).</summary>
    Message,
    Ping,
    Pong,
    /// <summary>The peer's close frame, with a valid code (or none) and a valid UTF-8 reason.</summary>
    Close,
    /// <summary>The peer broke a rule; the connection must be failed with <see cref="FrameEvent.Violation"/>'s close code.</summary>
    Violation,
}

/// <summary>
/// What <see cref="FrameDecoder.Decode"/> found. <see cref="Payload"/> points into the decoder's
/// buffers and stays valid until the next call to <see cref="FrameDecoder.Decode"/> or its disposal.
/// </summary>
public readonly struct FrameEvent
{
    private FrameEvent(FrameEventKind kind, MessageType messageType, ReadOnlyMemory<byte> payload, ushort closeCode, ProtocolViolation violation)
    {
        Kind = kind;
        MessageType = messageType;
        Payload = payload;
        CloseCode = closeCode;
        Violation = violation;
    }

    public FrameEventKind Kind { get; }

    /// <summary>For <see cref="FrameEventKind.Message"/>: text or binary.</summary>
    public MessageType MessageType { get; }

    /// <summary>The message, ping or pong payload, or the close reason (UTF-8).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>For <see cref="FrameEventKind.Close"/>: the peer's code, or 0 when its close frame had none.</summary>
    public ushort CloseCode { get; }

    public ProtocolViolation Violation { get; }

    public static FrameEvent NeedMoreData => default;

    public static FrameEvent Message(MessageType type, ReadOnlyMemory<byte> payload) =>
        new(FrameEventKind.Message, type, payload, 0, ProtocolViolation.None);

    public static FrameEvent Control(FrameEventKind kind, ReadOnlyMemory<byte> payload, ushort closeCode = 0) =>
        new(kind, default, payload, closeCode, ProtocolViolation.None);

    public static FrameEvent Broken(ProtocolViolation violation) =>
        new(FrameEventKind.Violation, default, default, 0, violation);
}
