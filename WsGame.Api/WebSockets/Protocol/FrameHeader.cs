using System.Buffers;
using System.Buffers.Binary;

namespace WsGame.Api.WebSockets.Protocol;

/*
  RFC 6455 section 5.2, base framing:

   0                   1                   2                   3
   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
  +-+-+-+-+-------+-+-------------+-------------------------------+
  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
  | |1|2|3|       |K|             |                               |
  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
  |     Extended payload length continued, if payload len == 127  |
  + - - - - - - - - - - - - - - - +-------------------------------+
  |                               |Masking-key, if MASK set to 1  |
  +-------------------------------+-------------------------------+
  | Masking-key (continued)       |          Payload Data         |
  +-------------------------------- - - - - - - - - - - - - - - - +
*/

/// <summary>One parsed frame header. Only syntax is checked here; the rules live in <see cref="FrameDecoder"/>.</summary>
public readonly record struct FrameHeader(bool Fin, byte ReservedBits, byte RawOpcode, bool Masked, long PayloadLength, uint MaskKey)
{
    private const byte FinBit = 0x80;
    private const byte ReservedBitsMask = 0x70;
    private const byte OpcodeMask = 0x0F;
    private const byte MaskBit = 0x80;
    private const byte LengthMask = 0x7F;

    public Opcode Opcode => (Opcode)RawOpcode;

    /// <summary>
    /// Reads a header from the start of <paramref name="buffer"/>. Returns false while the header is
    /// incomplete (nothing is consumed). <paramref name="headerLength"/> is the number of bytes it took.
    /// A 64-bit length with its top bit set parses (as a negative <see cref="PayloadLength"/>) so the
    /// caller can name the rule it breaks.
    /// </summary>
    public static bool TryRead(in ReadOnlySequence<byte> buffer, out FrameHeader header, out int headerLength)
    {
        Span<byte> copy = stackalloc byte[ProtocolLimits.MaxFrameHeaderLength];
        scoped ReadOnlySpan<byte> bytes;
        if (buffer.FirstSpan.Length >= ProtocolLimits.MaxFrameHeaderLength || buffer.IsSingleSegment)
        {
            bytes = buffer.FirstSpan;
        }
        else
        {
            // A header split across segments: gather the few bytes it can need into one span.
            var available = (int)Math.Min(buffer.Length, ProtocolLimits.MaxFrameHeaderLength);
            buffer.Slice(0, available).CopyTo(copy);
            bytes = copy[..available];
        }
        return TryRead(bytes, out header, out headerLength);
    }

    /// <inheritdoc cref="TryRead(in ReadOnlySequence{byte}, out FrameHeader, out int)"/>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out FrameHeader header, out int headerLength)
    {
        header = default;
        headerLength = 0;
        if (bytes.Length < 2)
        {
            return false;
        }

        var first = bytes[0];
        var second = bytes[1];
        var masked = (second & MaskBit) != 0;
        var lengthField = (byte)(second & LengthMask);
        var extendedLengthBytes = lengthField switch
        {
            ProtocolLimits.SixteenBitLengthMarker => 2,
            ProtocolLimits.SixtyFourBitLengthMarker => 8,
            _ => 0,
        };
        var length = 2 + extendedLengthBytes + (masked ? 4 : 0);
        if (bytes.Length < length)
        {
            return false;
        }

        long payloadLength = extendedLengthBytes switch
        {
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            8 => BinaryPrimitives.ReadInt64BigEndian(bytes[2..]),
            _ => lengthField,
        };
        var maskKey = masked ? BinaryPrimitives.ReadUInt32LittleEndian(bytes[(2 + extendedLengthBytes)..]) : 0u;

        header = new FrameHeader(
            Fin: (first & FinBit) != 0,
            ReservedBits: (byte)((first & ReservedBitsMask) >> 4),
            RawOpcode: (byte)(first & OpcodeMask),
            Masked: masked,
            PayloadLength: payloadLength,
            MaskKey: maskKey);
        headerLength = length;
        return true;
    }
}
