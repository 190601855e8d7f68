namespace WsGame.Api.WebSockets.Protocol;

/// <summary>Fixed quantities of RFC 6455, named where the RFC names them.</summary>
public static class ProtocolLimits
{
    /// <summary>Section 5.5: all control frames MUST have a payload length of 125 bytes or less.</summary>
    public const int MaxControlPayloadLength = 125;

    /// <summary>A close payload is a 2-byte code plus a UTF-8 reason, within the 125-byte control limit.</summary>
    public const int MaxCloseReasonBytes = MaxControlPayloadLength - 2;

    /// <summary>2 fixed bytes + 8 bytes of extended length + 4 bytes of masking key.</summary>
    public const int MaxFrameHeaderLength = 14;

    /// <summary>A server frame is never masked: 2 fixed bytes + at most 8 bytes of extended length.</summary>
    public const int MaxServerFrameHeaderLength = 10;

    /// <summary>Section 5.2: payload lengths up to this fit in the 7-bit field.</summary>
    public const int MaxSevenBitLength = 125;

    /// <summary>Section 5.2: the 7-bit value that announces a 16-bit extended length.</summary>
    public const byte SixteenBitLengthMarker = 126;

    /// <summary>Section 5.2: the 7-bit value that announces a 64-bit extended length.</summary>
    public const byte SixtyFourBitLengthMarker = 127;
}
