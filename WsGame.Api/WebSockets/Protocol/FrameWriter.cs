using System.Buffers.Binary;

namespace WsGame.Api.WebSockets.Protocol;

/// <summary>Writes server frames. Servers never mask (RFC 6455 section 5.1), so the same bytes can go to every recipient.</summary>
public static class FrameWriter
{
    /// <summary>The header size of an unmasked frame with this payload length (2, 4 or 10 bytes).</summary>
    public static int HeaderLength(long payloadLength) => payloadLength switch
    {
        <= ProtocolLimits.MaxSevenBitLength => 2,
        <= ushort.MaxValue => 4,
        _ => 10,
    };

    /// <summary>
    /// Writes the header of a single, unmasked frame with FIN set and no reserved bits, using the
    /// minimal length encoding (RFC 6455 section 5.2). Returns the number of bytes written.
    /// </summary>
    public static int WriteHeader(Span<byte> destination, Opcode opcode, long payloadLength) =>
        WriteHeader(destination, opcode, payloadLength, fin: true);

    /// <summary>
    /// Writes the header of an unmasked frame, with FIN as given: false for every fragment of a message but its
    /// last (section 5.4), which then follow as <see cref="Opcode.Continuation"/> frames.
    /// </summary>
    public static int WriteHeader(Span<byte> destination, Opcode opcode, long payloadLength, bool fin)
    {
        destination[0] = (byte)((fin ? 0x80 : 0) | (byte)opcode);
        if (payloadLength <= ProtocolLimits.MaxSevenBitLength)
        {
            destination[1] = (byte)payloadLength;
            return 2;
        }
        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = ProtocolLimits.SixteenBitLengthMarker;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }
        destination[1] = ProtocolLimits.SixtyFourBitLengthMarker;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }

    /// <summary>Writes a whole frame (header and payload) and returns its length.</summary>
    public static int WriteFrame(Span<byte> destination, Opcode opcode, ReadOnlySpan<byte> payload)
    {
        var headerLength = WriteHeader(destination, opcode, payload.Length);
        payload.CopyTo(destination[headerLength..]);
        return headerLength + payload.Length;
    }

    /// <summary>
    /// Writes a close payload: the 2-byte code in network order and the UTF-8 reason, cut at a
    /// character boundary so that it fits the 123 bytes a control frame leaves. Returns its length.
    /// </summary>
    public static int WriteClosePayload(Span<byte> destination, CloseCode code, string reason)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)code);
        var reasonBytes = destination.Slice(2, ProtocolLimits.MaxCloseReasonBytes);
        System.Text.Unicode.Utf8.FromUtf16(reason, reasonBytes, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        return 2 + written;
    }
}
