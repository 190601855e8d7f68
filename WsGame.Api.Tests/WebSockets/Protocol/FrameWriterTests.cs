using System.Buffers.Binary;
using System.Text;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.WebSockets.Protocol;

/// <summary>Server frames: minimal length encoding, FIN set, never masked, and close payloads that fit a control frame.</summary>
public sealed class FrameWriterTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Payload length and the exact header the writer must produce for a binary frame.</summary>
    public static TheoryData<long, byte[]> MinimalHeaders => new()
    {
        { 0, [0x82, 0x00] },
        { 1, [0x82, 0x01] },
        { 125, [0x82, 0x7D] },
        { 126, [0x82, 0x7E, /* length */ 0x00, 0x7E] },
        { 65535, [0x82, 0x7E, /* length */ 0xFF, 0xFF] },
        { 65536, [0x82, 0x7F, /* length */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00] },
        { 1L << 32, [0x82, 0x7F, /* length */ 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00] },
        { long.MaxValue, [0x82, 0x7F, /* length */ 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] },
    };

    [Theory]
    [InlineData(0, 2)]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(65535, 4)]
    [InlineData(65536, 10)]
    [InlineData(long.MaxValue, 10)]
    public void Header_length_is_the_minimal_encoding(long payloadLength, int expected)
    {
        Assert.Equal(expected, FrameWriter.HeaderLength(payloadLength));
    }

    [Theory]
    [MemberData(nameof(MinimalHeaders))]
    public void Header_uses_the_minimal_length_encoding(long payloadLength, byte[] expected)
    {
        var destination = new byte[ProtocolLimits.MaxServerFrameHeaderLength + 4];

        var written = FrameWriter.WriteHeader(destination, Opcode.Binary, payloadLength);

        Assert.Equal(expected.Length, written);
        Assert.Equal(FrameWriter.HeaderLength(payloadLength), written);
        Assert.Equal(expected, destination[..written]);
        Assert.All(destination[written..], b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(Opcode.Text)]
    [InlineData(Opcode.Binary)]
    [InlineData(Opcode.Close)]
    [InlineData(Opcode.Ping)]
    [InlineData(Opcode.Pong)]
    public void Header_has_fin_set_no_reserved_bits_the_opcode_and_no_mask(Opcode opcode)
    {
        foreach (var length in new long[] { 0, 125, 126, 65535, 65536 })
        {
            var destination = new byte[ProtocolLimits.MaxServerFrameHeaderLength];

            FrameWriter.WriteHeader(destination, opcode, length);

            Assert.Equal(0x80, destination[0] & 0x80);       // FIN
            Assert.Equal(0x00, destination[0] & 0x70);       // RSV1-3
            Assert.Equal((byte)opcode, destination[0] & 0x0F);
            Assert.Equal(0x00, destination[1] & 0x80);       // MASK: servers never mask
        }
    }

    [Theory]
    [MemberData(nameof(MinimalHeaders))]
    public void Header_round_trips_through_FrameHeader(long payloadLength, byte[] expected)
    {
        foreach (var opcode in new[] { Opcode.Text, Opcode.Binary, Opcode.Ping, Opcode.Pong, Opcode.Close })
        {
            var destination = new byte[ProtocolLimits.MaxServerFrameHeaderLength];
            var written = FrameWriter.WriteHeader(destination, opcode, payloadLength);

            Assert.True(FrameHeader.TryRead(destination.AsSpan(0, written), out var header, out var headerLength));

            Assert.Equal(new FrameHeader(Fin: true, ReservedBits: 0, RawOpcode: (byte)opcode, Masked: false, PayloadLength: payloadLength, MaskKey: 0), header);
            Assert.Equal(written, headerLength);
            Assert.Equal(expected.Length, written);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void Frame_is_the_header_followed_by_the_payload_unchanged(int payloadLength)
    {
        var payload = new byte[payloadLength];
        new Random(payloadLength).NextBytes(payload);
        var destination = new byte[payloadLength + ProtocolLimits.MaxServerFrameHeaderLength];

        var written = FrameWriter.WriteFrame(destination, Opcode.Binary, payload);

        Assert.True(FrameHeader.TryRead(destination.AsSpan(0, written), out var header, out var headerLength));
        Assert.Equal(FrameWriter.HeaderLength(payloadLength) + payloadLength, written);
        Assert.Equal(payloadLength, header.PayloadLength);
        Assert.Equal(Opcode.Binary, header.Opcode);
        Assert.False(header.Masked);
        Assert.True(payload.AsSpan().SequenceEqual(destination.AsSpan(headerLength, payloadLength)));
    }

    [Fact]
    public void Rfc_example_unmasked_Hello_is_written_byte_for_byte()
    {
        // RFC 6455 section 5.7: "A single-frame unmasked text message 0x81 0x05 0x48 0x65 0x6c 0x6c 0x6f".
        var destination = new byte[16];

        var written = FrameWriter.WriteFrame(destination, Opcode.Text, "Hello"u8);

        Assert.Equal(new byte[] { 0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F }, destination[..written]);
    }

    [Theory]
    [InlineData(CloseCode.NormalClosure, 0x03, 0xE8)]
    [InlineData(CloseCode.ProtocolError, 0x03, 0xEA)]
    [InlineData(CloseCode.MessageTooBig, 0x03, 0xF1)]
    [InlineData((CloseCode)4999, 0x13, 0x87)]
    public void Close_payload_starts_with_the_code_big_endian(CloseCode code, byte high, byte low)
    {
        var destination = new byte[ProtocolLimits.MaxControlPayloadLength];

        var written = FrameWriter.WriteClosePayload(destination, code, "");

        Assert.Equal(2, written);
        Assert.Equal(new[] { high, low }, destination[..2]);
    }

    [Fact]
    public void Close_payload_carries_a_short_reason_as_utf8()
    {
        var destination = new byte[ProtocolLimits.MaxControlPayloadLength];

        var written = FrameWriter.WriteClosePayload(destination, CloseCode.GoingAway, "server stopping – à bientôt");

        var expectedReason = Encoding.UTF8.GetBytes("server stopping – à bientôt");
        Assert.Equal(2 + expectedReason.Length, written);
        Assert.Equal(1001, BinaryPrimitives.ReadUInt16BigEndian(destination));
        Assert.Equal(expectedReason, destination[2..written]);
    }

    [Theory]
    [InlineData("a", 200)]  // 1-byte characters: cut exactly at 123 bytes
    [InlineData("é", 100)]  // 2-byte: 61 characters (122 bytes), the 62nd would need 124
    [InlineData("€", 60)]   // 3-byte: 41 characters, exactly 123 bytes
    [InlineData("😀", 40)]  // 4-byte (a surrogate pair in UTF-16): 30 characters, 120 bytes
    [InlineData("a€", 50)]  // 1 + 3 bytes alternating
    [InlineData("ab😀", 40)] // 1 + 1 + 4 bytes alternating
    [InlineData("xy€", 50)]  // an offset that puts a 3-byte character across the 123-byte line
    public void Long_close_reason_is_cut_at_a_character_boundary_to_at_most_123_bytes(string unit, int repeat)
    {
        var reason = string.Concat(Enumerable.Repeat(unit, repeat));
        var destination = new byte[ProtocolLimits.MaxControlPayloadLength];

        var written = FrameWriter.WriteClosePayload(destination, CloseCode.PolicyViolation, reason);

        Assert.InRange(written, 2, ProtocolLimits.MaxControlPayloadLength);
        Assert.Equal(1008, BinaryPrimitives.ReadUInt16BigEndian(destination));
        var reasonBytes = destination[2..written];
        var text = StrictUtf8.GetString(reasonBytes); // throws if a character was cut in half
        Assert.StartsWith(text, reason, StringComparison.Ordinal);
        // As long as fits: the next character would not have.
        var next = char.IsHighSurrogate(reason[text.Length]) ? reason.Substring(text.Length, 2) : reason.Substring(text.Length, 1);
        Assert.True(reasonBytes.Length + Encoding.UTF8.GetByteCount(next) > ProtocolLimits.MaxCloseReasonBytes,
            $"{reasonBytes.Length} bytes written, yet '{next}' would still have fit");
    }

    [Fact]
    public void Close_reason_never_splits_a_character_whatever_its_offset_from_the_123_byte_line()
    {
        foreach (var character in new[] { "é", "€", "😀" })
        {
            for (var asciiBefore = 110; asciiBefore <= 123; asciiBefore++)
            {
                var reason = new string('x', asciiBefore) + character + "tail";
                var destination = new byte[ProtocolLimits.MaxControlPayloadLength];

                var written = FrameWriter.WriteClosePayload(destination, CloseCode.GoingAway, reason);

                var reasonBytes = destination[2..written];
                Assert.Equal(LongestPrefixThatFits(reason), reasonBytes);
                Assert.True(System.Text.Unicode.Utf8.IsValid(reasonBytes), $"{asciiBefore} x + {character}: not valid UTF-8");
            }
        }
    }

    /// <summary>The UTF-8 of the longest run of whole characters from the start of <paramref name="text"/> that fits in 123 bytes.</summary>
    private static byte[] LongestPrefixThatFits(string text)
    {
        var bytes = new List<byte>();
        Span<byte> one = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(one);
            if (bytes.Count + length > ProtocolLimits.MaxCloseReasonBytes)
            {
                break;
            }

            bytes.AddRange(one[..length]);
        }

        return [.. bytes];
    }

    [Fact]
    public void Close_reason_is_cut_to_123_bytes_even_when_the_destination_is_larger()
    {
        var destination = new byte[1024];

        var written = FrameWriter.WriteClosePayload(destination, CloseCode.NormalClosure, new string('z', 500));

        Assert.Equal(ProtocolLimits.MaxControlPayloadLength, written);
        Assert.All(destination[written..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Close_reason_with_a_lone_surrogate_is_written_as_valid_utf8()
    {
        var destination = new byte[ProtocolLimits.MaxControlPayloadLength];

        var written = FrameWriter.WriteClosePayload(destination, CloseCode.InternalServerError, "bad \uD800 surrogate");

        var reasonBytes = destination[2..written];
        Assert.True(System.Text.Unicode.Utf8.IsValid(reasonBytes));
        Assert.Equal("bad \uFFFD surrogate", StrictUtf8.GetString(reasonBytes));
    }

    [Fact]
    public void Close_reason_of_exactly_123_bytes_is_kept_whole()
    {
        var reason = new string('r', ProtocolLimits.MaxCloseReasonBytes);
        var destination = new byte[ProtocolLimits.MaxControlPayloadLength];

        var written = FrameWriter.WriteClosePayload(destination, CloseCode.NormalClosure, reason);

        Assert.Equal(ProtocolLimits.MaxControlPayloadLength, written);
        Assert.Equal(reason, Encoding.ASCII.GetString(destination, 2, written - 2));
    }

    [Fact]
    public void Close_payload_written_by_the_writer_is_accepted_by_the_decoder()
    {
        var payload = new byte[ProtocolLimits.MaxControlPayloadLength];
        var payloadLength = FrameWriter.WriteClosePayload(payload, CloseCode.GoingAway, string.Concat(Enumerable.Repeat("ü€😀", 20)));
        // The decoder reads client frames, which are masked: mask with an all-zero key (XOR 0 leaves the bytes).
        var frame = new byte[2 + 4 + payloadLength];
        frame[0] = 0x88;                         // FIN, close
        frame[1] = (byte)(0x80 | payloadLength); // MASK, 7-bit length
        payload.AsSpan(0, payloadLength).CopyTo(frame.AsSpan(6));
        using var decoder = new FrameDecoder(1024);
        var buffer = new System.Buffers.ReadOnlySequence<byte>(frame);

        var decoded = decoder.Decode(ref buffer);

        Assert.Equal(FrameEventKind.Close, decoded.Kind);
        Assert.Equal((ushort)CloseCode.GoingAway, decoded.CloseCode);
        Assert.Equal(payload.AsSpan(2, payloadLength - 2).ToArray(), decoded.Payload.ToArray());
    }
}
