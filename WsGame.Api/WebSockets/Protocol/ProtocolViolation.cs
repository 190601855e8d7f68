namespace WsGame.Api.WebSockets.Protocol;

/// <summary>
/// Each rule of RFC 6455 a peer can break, one member per rule. The decoder reports the rule;
/// <see cref="ProtocolViolationRules"/> maps it to the close code and the reason that is sent.
/// </summary>
public enum ProtocolViolation : byte
{
    None = 0,
    /// <summary>5.2: RSV1-3 MUST be 0 unless an extension is negotiated (we negotiate none).</summary>
    ReservedBitsSet,
    /// <summary>5.2: a reserved opcode was received.</summary>
    ReservedOpcode,
    /// <summary>5.1: a server MUST close the connection upon receiving a frame that is not masked.</summary>
    UnmaskedClientFrame,
    /// <summary>5.5: control frames MUST have a payload length of 125 bytes or less.</summary>
    ControlFrameTooLong,
    /// <summary>5.5: control frames MUST NOT be fragmented.</summary>
    FragmentedControlFrame,
    /// <summary>5.4: a continuation frame arrived with no fragmented message in progress.</summary>
    ContinuationWithoutMessage,
    /// <summary>5.4: the fragments of one message MUST NOT be interleaved with another data frame.</summary>
    DataFrameInsideFragmentedMessage,
    /// <summary>5.2: the most significant bit of a 64-bit payload length MUST be 0.</summary>
    PayloadLengthTooLarge,
    /// <summary>10.4: the message exceeds the configured size limit.</summary>
    MessageTooBig,
    /// <summary>8.1: a text message that is not valid UTF-8 fails the connection.</summary>
    InvalidUtf8,
    /// <summary>5.5.1: a close payload, if present, starts with a 2-byte code (so 1 byte is malformed).</summary>
    CloseFrameOneBytePayload,
    /// <summary>7.4: the close code is reserved, unassigned or out of range.</summary>
    InvalidCloseCode,
    /// <summary>5.5.1: the close reason MUST be valid UTF-8.</summary>
    InvalidCloseReason,
}

public static class ProtocolViolationRules
{
    /// <summary>The close code for a broken rule, in one place.</summary>
    public static CloseCode ToCloseCode(this ProtocolViolation violation) => violation switch
    {
        ProtocolViolation.MessageTooBig => CloseCode.MessageTooBig,
        ProtocolViolation.InvalidUtf8 or ProtocolViolation.InvalidCloseReason => CloseCode.InvalidPayloadData,
        ProtocolViolation.None => CloseCode.NormalClosure,
        _ => CloseCode.ProtocolError,
    };

    /// <summary>A short reason for the close frame and the log (ASCII, well under 123 bytes).</summary>
    public static string ToReason(this ProtocolViolation violation) => violation switch
    {
        ProtocolViolation.ReservedBitsSet => "reserved bits set without a negotiated extension",
        ProtocolViolation.ReservedOpcode => "reserved opcode",
        ProtocolViolation.UnmaskedClientFrame => "client frames must be masked",
        ProtocolViolation.ControlFrameTooLong => "control frame payload over 125 bytes",
        ProtocolViolation.FragmentedControlFrame => "control frames must not be fragmented",
        ProtocolViolation.ContinuationWithoutMessage => "continuation frame without a message to continue",
        ProtocolViolation.DataFrameInsideFragmentedMessage => "new data frame inside a fragmented message",
        ProtocolViolation.PayloadLengthTooLarge => "64-bit payload length has its most significant bit set",
        ProtocolViolation.MessageTooBig => "message too big",
        ProtocolViolation.InvalidUtf8 => "text message is not valid UTF-8",
        ProtocolViolation.CloseFrameOneBytePayload => "close payload of 1 byte",
        ProtocolViolation.InvalidCloseCode => "invalid close code",
        ProtocolViolation.InvalidCloseReason => "close reason is not valid UTF-8",
        _ => "no violation",
    };
}
