using System.Buffers;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.WebSockets.Protocol;

/// <summary>
/// A ReadOnlySequence made of separate arrays, so that tests can put segment boundaries anywhere
/// (as a pipe does when data arrives in several reads).
/// </summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    private TestSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>One sequence over <paramref name="chunks"/> in order; each chunk is its own segment (empty ones too).</summary>
    public static ReadOnlySequence<byte> Sequence(params ReadOnlyMemory<byte>[] chunks)
    {
        if (chunks.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new TestSegment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Length; i++)
        {
            var next = new TestSegment(chunks[i], last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary><paramref name="bytes"/> cut at <paramref name="cuts"/> (ascending offsets), each piece copied into its own array.</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, params int[] cuts)
    {
        var chunks = new ReadOnlyMemory<byte>[cuts.Length + 1];
        var start = 0;
        for (var i = 0; i < cuts.Length; i++)
        {
            chunks[i] = bytes[start..cuts[i]].ToArray();
            start = cuts[i];
        }

        chunks[^1] = bytes[start..].ToArray();
        return Sequence(chunks);
    }

    /// <summary>Every byte in a segment of its own.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(ReadOnlySpan<byte> bytes) =>
        Split(bytes, Enumerable.Range(1, Math.Max(0, bytes.Length - 1)).ToArray());
}

/// <summary>RFC 6455 section 5.2 header syntax: every length form, flags, mask key, and incomplete headers.</summary>
public sealed class FrameHeaderTests
{
    // The masking key of the RFC 6455 section 5.7 examples.
    private static readonly byte[] Key = [0x37, 0xFA, 0x21, 0x3D];

    /// <summary>Each length form at its boundaries: the announced length and the header bytes (unmasked, FIN + binary).</summary>
    public static TheoryData<long, byte[]> LengthForms => new()
    {
        // 7-bit form: the length is the second byte.
        { 0, [0x82, 0x00] },
        { 1, [0x82, 0x01] },
        { 125, [0x82, 0x7D] },
        // 16-bit form: marker 126, then the length big-endian.
        { 126, [0x82, 0x7E, /* length */ 0x00, 0x7E] },
        { 127, [0x82, 0x7E, /* length */ 0x00, 0x7F] },
        { 65535, [0x82, 0x7E, /* length */ 0xFF, 0xFF] },
        // 64-bit form: marker 127, then the length big-endian.
        { 65536, [0x82, 0x7F, /* length */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00] },
        { 1L << 32, [0x82, 0x7F, /* length */ 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00] },
        { long.MaxValue, [0x82, 0x7F, /* length */ 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] },
    };

    /// <summary>Valid headers of every form, masked and unmasked, for the incomplete-header tests.</summary>
    public static TheoryData<byte[]> CompleteHeaders()
    {
        var data = new TheoryData<byte[]>();
        foreach (var row in LengthForms)
        {
            var unmasked = (byte[])row[1];
            data.Add(unmasked);
            data.Add(Masked(unmasked));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LengthForms))]
    public void Each_length_form_parses_the_announced_length_from_a_span(long length, byte[] header)
    {
        Assert.True(FrameHeader.TryRead(header, out var parsed, out var headerLength));

        Assert.Equal(length, parsed.PayloadLength);
        Assert.Equal(header.Length, headerLength);
        Assert.False(parsed.Masked);
        Assert.Equal(0u, parsed.MaskKey);
    }

    [Theory]
    [MemberData(nameof(LengthForms))]
    public void Each_length_form_parses_with_a_mask_key_after_the_length(long length, byte[] header)
    {
        var masked = Masked(header);

        Assert.True(FrameHeader.TryRead(masked, out var parsed, out var headerLength));

        Assert.Equal(length, parsed.PayloadLength);
        Assert.Equal(header.Length + 4, headerLength);
        Assert.True(parsed.Masked);
        // Key bytes packed little-endian: key byte i is (MaskKey >> 8i) & 0xFF.
        Assert.Equal(0x3D21FA37u, parsed.MaskKey);
    }

    [Theory]
    [MemberData(nameof(LengthForms))]
    public void Each_length_form_parses_from_a_single_segment_sequence_with_payload_after_it(long length, byte[] header)
    {
        byte[] bytes = [.. Masked(header), 0xAA, 0xBB, 0xCC];

        Assert.True(FrameHeader.TryRead(new ReadOnlySequence<byte>(bytes), out var parsed, out var headerLength));

        Assert.Equal(length, parsed.PayloadLength);
        Assert.Equal(header.Length + 4, headerLength);
    }

    [Fact]
    public void Header_lengths_are_2_4_and_10_bytes_plus_4_when_masked()
    {
        Assert.True(FrameHeader.TryRead([0x81, 0x05], out _, out var sevenBit));
        Assert.True(FrameHeader.TryRead([0x81, 0x7E, 0x00, 0x80], out _, out var sixteenBit));
        Assert.True(FrameHeader.TryRead([0x81, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0], out _, out var sixtyFourBit));
        Assert.True(FrameHeader.TryRead([0x81, 0x85, .. Key], out _, out var sevenBitMasked));
        Assert.True(FrameHeader.TryRead([0x81, 0xFE, 0x00, 0x80, .. Key], out _, out var sixteenBitMasked));
        Assert.True(FrameHeader.TryRead([0x81, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0, .. Key], out _, out var sixtyFourBitMasked));

        Assert.Equal([2, 4, 10, 6, 8, 14], [sevenBit, sixteenBit, sixtyFourBit, sevenBitMasked, sixteenBitMasked, sixtyFourBitMasked]);
        Assert.Equal(ProtocolLimits.MaxFrameHeaderLength, sixtyFourBitMasked);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, long.MinValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, -1L)]
    [InlineData(new byte[] { 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05 }, long.MinValue + 5)]
    public void A_64_bit_length_with_the_most_significant_bit_set_parses_as_negative(byte[] lengthBytes, long expected)
    {
        byte[] header = [0x82, 0xFF, .. lengthBytes, .. Key];

        Assert.True(FrameHeader.TryRead(header, out var parsed, out var headerLength));
        Assert.True(FrameHeader.TryRead(TestSegment.OneBytePerSegment(header), out var fromSequence, out _));

        Assert.Equal(expected, parsed.PayloadLength);
        Assert.True(parsed.PayloadLength < 0);
        Assert.Equal(14, headerLength);
        Assert.Equal(parsed, fromSequence);
    }

    [Theory]
    [InlineData(0x81, true, 0, 0x1)]  // FIN, text
    [InlineData(0x02, false, 0, 0x2)] // no FIN, binary
    [InlineData(0x80, true, 0, 0x0)]  // FIN, continuation
    [InlineData(0x88, true, 0, 0x8)]  // close
    [InlineData(0x89, true, 0, 0x9)]  // ping
    [InlineData(0x8A, true, 0, 0xA)]  // pong
    [InlineData(0xC1, true, 4, 0x1)]  // RSV1
    [InlineData(0xA1, true, 2, 0x1)]  // RSV2
    [InlineData(0x91, true, 1, 0x1)]  // RSV3
    [InlineData(0x73, false, 7, 0x3)] // all RSV bits, reserved opcode 3
    [InlineData(0x8F, true, 0, 0xF)]  // reserved opcode 15
    public void First_byte_gives_fin_reserved_bits_and_raw_opcode_without_judging_them(byte first, bool fin, byte reservedBits, byte opcode)
    {
        Assert.True(FrameHeader.TryRead([first, 0x80, .. Key], out var parsed, out _));

        Assert.Equal(fin, parsed.Fin);
        Assert.Equal(reservedBits, parsed.ReservedBits);
        Assert.Equal(opcode, parsed.RawOpcode);
        Assert.Equal((Opcode)opcode, parsed.Opcode);
        Assert.Equal(0, parsed.PayloadLength);
    }

    [Fact]
    public void Rfc_example_masked_Hello_header_parses()
    {
        // RFC 6455 section 5.7: 0x81 0x85 0x37 0xfa 0x21 0x3d, then the 5 masked bytes of "Hello".
        byte[] frame = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58];

        Assert.True(FrameHeader.TryRead(frame, out var parsed, out var headerLength));

        Assert.Equal(new FrameHeader(Fin: true, ReservedBits: 0, RawOpcode: 0x1, Masked: true, PayloadLength: 5, MaskKey: 0x3D21FA37), parsed);
        Assert.Equal(6, headerLength);
    }

    [Fact]
    public void A_non_minimal_length_encoding_still_parses_as_syntax()
    {
        // Length 5 in the 16-bit form: FrameHeader only reads syntax.
        Assert.True(FrameHeader.TryRead([0x82, 0x7E, 0x00, 0x05], out var parsed, out var headerLength));

        Assert.Equal(5, parsed.PayloadLength);
        Assert.Equal(4, headerLength);
    }

    [Theory]
    [MemberData(nameof(CompleteHeaders))]
    public void Every_proper_prefix_of_a_header_is_incomplete_in_a_span(byte[] header)
    {
        for (var length = 0; length < header.Length; length++)
        {
            var found = FrameHeader.TryRead(header.AsSpan(0, length), out var parsed, out var headerLength);

            Assert.False(found, $"prefix of {length} of {header.Length} bytes");
            Assert.Equal(0, headerLength);
            Assert.Equal(default, parsed);
        }

        Assert.True(FrameHeader.TryRead(header, out _, out var fullLength));
        Assert.Equal(header.Length, fullLength);
    }

    [Theory]
    [MemberData(nameof(CompleteHeaders))]
    public void Every_proper_prefix_of_a_header_is_incomplete_in_a_sequence_split_at_every_position(byte[] header)
    {
        for (var length = 0; length < header.Length; length++)
        {
            var prefix = header.AsSpan(0, length);
            for (var cut = 0; cut <= length; cut++)
            {
                Assert.False(FrameHeader.TryRead(TestSegment.Split(prefix, cut), out _, out var headerLength), $"prefix {length}, cut {cut}");
                Assert.Equal(0, headerLength);
            }

            Assert.False(FrameHeader.TryRead(TestSegment.OneBytePerSegment(prefix), out _, out _), $"prefix {length}, one byte per segment");
        }
    }

    [Theory]
    [MemberData(nameof(CompleteHeaders))]
    public void A_header_split_at_every_position_reads_the_same_as_in_one_span(byte[] header)
    {
        // Payload bytes follow, as they would in a pipe; they must not change the header.
        byte[] bytes = [.. header, 0x11, 0x22, 0x33, 0x44, 0x55];
        Assert.True(FrameHeader.TryRead(bytes, out var expected, out var expectedLength));

        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            Assert.True(FrameHeader.TryRead(TestSegment.Split(bytes, cut), out var parsed, out var headerLength), $"cut {cut}");
            Assert.Equal(expected, parsed);
            Assert.Equal(expectedLength, headerLength);
        }

        for (var first = 0; first <= bytes.Length; first++)
        {
            for (var second = first; second <= bytes.Length; second++)
            {
                Assert.True(FrameHeader.TryRead(TestSegment.Split(bytes, first, second), out var parsed, out _), $"cuts {first}, {second}");
                Assert.Equal(expected, parsed);
            }
        }

        Assert.True(FrameHeader.TryRead(TestSegment.OneBytePerSegment(bytes), out var bytewise, out _));
        Assert.Equal(expected, bytewise);
    }

    [Fact]
    public void A_sequence_with_empty_segments_before_the_header_reads_it()
    {
        byte[] header = [0x81, 0xFE, 0x01, 0x00, .. Key];
        var sequence = TestSegment.Sequence(Array.Empty<byte>(), Array.Empty<byte>(), header.AsMemory(0, 3), Array.Empty<byte>(), header.AsMemory(3));

        Assert.True(FrameHeader.TryRead(sequence, out var parsed, out var headerLength));

        Assert.Equal(256, parsed.PayloadLength);
        Assert.Equal(8, headerLength);
        Assert.Equal(0x3D21FA37u, parsed.MaskKey);
    }

    [Fact]
    public void An_empty_sequence_is_incomplete()
    {
        Assert.False(FrameHeader.TryRead(ReadOnlySequence<byte>.Empty, out _, out var headerLength));
        Assert.Equal(0, headerLength);
    }

    private static byte[] Masked(byte[] unmaskedHeader)
    {
        var masked = (byte[])unmaskedHeader.Clone();
        masked[1] |= 0x80;
        return [.. masked, .. Key];
    }
}
