using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.WebSockets.Protocol;

/// <summary>
/// The receiving half of RFC 6455 with no I/O: client frames in, messages, control frames and
/// broken rules out, whatever the lengths, fragmentation and segment boundaries.
/// </summary>
public sealed class FrameDecoderTests
{
    private const int DefaultLimit = 1024 * 1024;

    // Opcode bytes of the first header byte, with and without FIN.
    private const byte Fin = 0x80;
    private const byte Continuation = 0x0;
    private const byte Text = 0x1;
    private const byte Binary = 0x2;
    private const byte Close = 0x8;
    private const byte Ping = 0x9;
    private const byte Pong = 0xA;

    private static readonly byte[] RfcKey = [0x37, 0xFA, 0x21, 0x3D];

    // ---- Helpers ---------------------------------------------------------------------------

    /// <summary>
    /// A client frame: first byte as given (FIN | RSV | opcode), minimal length encoding (or
    /// <paramref name="announcedLength"/> when given), MASK set with <paramref name="key"/>
    /// (the RFC example key by default) and the payload masked with it.
    /// </summary>
    private static byte[] ClientFrame(byte first, ReadOnlySpan<byte> payload, byte[]? key = null, long? announcedLength = null, bool masked = true)
    {
        key ??= RfcKey;
        var length = announcedLength ?? payload.Length;
        var header = new List<byte> { first };
        var maskBit = masked ? (byte)0x80 : (byte)0x00;
        if (length is >= 0 and <= 125)
        {
            header.Add((byte)(maskBit | length));
        }
        else if (length is >= 0 and <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(length >> 8));
            header.Add((byte)length);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            var lengthBytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(lengthBytes, length);
            header.AddRange(lengthBytes);
        }

        if (masked)
        {
            header.AddRange(key);
        }

        var frame = new byte[header.Count + payload.Length];
        header.CopyTo(frame);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[header.Count + i] = masked ? (byte)(payload[i] ^ key[i & 3]) : payload[i];
        }

        return frame;
    }

    private static byte[] ClientFrame(byte first, string text, byte[]? key = null, bool masked = true) =>
        ClientFrame(first, Encoding.UTF8.GetBytes(text), key, masked: masked);

    private static byte[] ClosePayload(int code, ReadOnlySpan<byte> reason)
    {
        var payload = new byte[2 + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        reason.CopyTo(payload.AsSpan(2));
        return payload;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();

    private static byte[] Pattern(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>An event with its payload copied (the decoder's memory is only valid until the next call).</summary>
    private sealed record Decoded(FrameEventKind Kind, MessageType Type, string Payload, ushort CloseCode, ProtocolViolation Violation)
    {
        public static Decoded From(in FrameEvent e) =>
            new(e.Kind, e.Kind == FrameEventKind.Message ? e.MessageType : default, Convert.ToHexString(e.Payload.Span), e.CloseCode, e.Violation);

        public static Decoded Message(MessageType type, ReadOnlySpan<byte> payload) => new(FrameEventKind.Message, type, Convert.ToHexString(payload), 0, ProtocolViolation.None);

        public static Decoded Text(string text) => Message(MessageType.Text, Encoding.UTF8.GetBytes(text));

        public static Decoded Binary(ReadOnlySpan<byte> payload) => Message(MessageType.Binary, payload);

        public static Decoded Ping(ReadOnlySpan<byte> payload) => new(FrameEventKind.Ping, default, Convert.ToHexString(payload), 0, ProtocolViolation.None);

        public static Decoded Pong(ReadOnlySpan<byte> payload) => new(FrameEventKind.Pong, default, Convert.ToHexString(payload), 0, ProtocolViolation.None);

        public static Decoded Close(ushort code, ReadOnlySpan<byte> reason) => new(FrameEventKind.Close, default, Convert.ToHexString(reason), code, ProtocolViolation.None);

        public static Decoded Broken(ProtocolViolation violation) => new(FrameEventKind.Violation, default, "", 0, violation);

        // Long payloads would make failure messages unreadable: show a length and a hash instead.
        public override string ToString() =>
            $"{Kind} {(Kind == FrameEventKind.Message ? Type.ToString() : "")} {(Payload.Length <= 64 ? Payload : $"{Payload.Length / 2} bytes #{Payload.GetHashCode():X8}")} {(CloseCode != 0 ? CloseCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")} {(Violation != ProtocolViolation.None ? Violation.ToString() : "")}";
    }

    /// <summary>Decodes until the decoder needs more data; returns the events and leaves the unconsumed rest in <paramref name="buffer"/>.</summary>
    private static List<Decoded> DecodeAvailable(FrameDecoder decoder, ref ReadOnlySequence<byte> buffer)
    {
        var events = new List<Decoded>();
        for (var guard = 0; guard < 100_000; guard++)
        {
            var e = decoder.Decode(ref buffer);
            if (e.Kind == FrameEventKind.NeedMoreData)
            {
                return events;
            }

            events.Add(Decoded.From(e));
        }

        throw new InvalidOperationException("The decoder kept reporting events without consuming its input.");
    }

    private static List<Decoded> DecodeAll(byte[] bytes, int limit = DefaultLimit)
    {
        using var decoder = new FrameDecoder(limit);
        var buffer = new ReadOnlySequence<byte>(bytes);
        var events = DecodeAvailable(decoder, ref buffer);
        if (events.Count == 0 || events[^1].Kind is not (FrameEventKind.Violation or FrameEventKind.Close))
        {
            Assert.True(buffer.IsEmpty, $"{buffer.Length} bytes left unconsumed after a whole stream");
        }

        return events;
    }

    /// <summary>
    /// Feeds <paramref name="chunks"/> one after another as a pipe reader would: the unconsumed rest
    /// of the previous read stays in front of the next chunk, and every read is a multi-segment
    /// sequence (the rest, then the new chunk cut into 1-3 segments at random points when <paramref name="random"/> is given).
    /// </summary>
    private static List<Decoded> DecodeInChunks(FrameDecoder decoder, IEnumerable<byte[]> chunks, Random? random = null)
    {
        var events = new List<Decoded>();
        var pending = new List<byte[]>();
        foreach (var chunk in chunks)
        {
            // Cut the new chunk into a few segments, so that boundaries fall inside headers and payloads.
            var pieces = random is null ? 1 : random.Next(1, 4);
            var start = 0;
            for (var piece = 1; piece <= pieces; piece++)
            {
                var end = piece == pieces ? chunk.Length : random!.Next(start, chunk.Length + 1);
                pending.Add(chunk[start..end]);
                start = end;
            }

            var buffer = TestSegment.Sequence(pending.Select(segment => (ReadOnlyMemory<byte>)segment).ToArray());
            var before = buffer.Length;
            events.AddRange(DecodeAvailable(decoder, ref buffer));
            var rest = buffer.ToArray();
            Assert.True(rest.Length <= before);
            pending.Clear();
            if (rest.Length > 0)
            {
                pending.Add(rest);
            }
        }

        return events;
    }

    // ---- Whole messages at each length boundary ---------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(127)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(100_000)]
    public void Binary_message_at_each_length_boundary_is_unmasked_whole(int length)
    {
        var payload = Pattern(length, length);

        var events = DecodeAll(ClientFrame(Fin | Binary, payload));

        Assert.Equal([Decoded.Binary(payload)], events);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void Text_message_at_each_length_boundary_is_unmasked_whole(int length)
    {
        var text = new string('é', length / 2) + new string('x', length % 2);

        var events = DecodeAll(ClientFrame(Fin | Text, text));

        Assert.Equal(length, Encoding.UTF8.GetByteCount(text));
        Assert.Equal([Decoded.Text(text)], events);
    }

    [Fact]
    public void Rfc_example_masked_Hello_decodes_to_Hello()
    {
        // RFC 6455 section 5.7.
        byte[] frame = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58];

        Assert.Equal([Decoded.Text("Hello")], DecodeAll(frame));
    }

    [Fact]
    public void Several_messages_in_one_buffer_come_out_one_per_call_in_order()
    {
        var stream = Concat(
            ClientFrame(Fin | Text, "one"),
            ClientFrame(Fin | Binary, [1, 2, 3]),
            ClientFrame(Fin | Text, ""),
            ClientFrame(Fin | Binary, Pattern(300)));

        Assert.Equal(
            [Decoded.Text("one"), Decoded.Binary([1, 2, 3]), Decoded.Text(""), Decoded.Binary(Pattern(300))],
            DecodeAll(stream));
    }

    [Fact]
    public void Each_frame_is_unmasked_with_its_own_key()
    {
        var stream = Concat(
            ClientFrame(Fin | Text, "Hello"u8, key: [0x00, 0x00, 0x00, 0x00]),
            ClientFrame(Fin | Text, "Hello"u8, key: [0xFF, 0xFF, 0xFF, 0xFF]),
            ClientFrame(Fin | Text, "Hello"u8, key: [0x01, 0x02, 0x03, 0x04]));

        Assert.Equal([Decoded.Text("Hello"), Decoded.Text("Hello"), Decoded.Text("Hello")], DecodeAll(stream));
    }

    // ---- Fragmentation ------------------------------------------------------------------------

    [Fact]
    public void Text_split_inside_a_multibyte_character_at_every_position_reassembles()
    {
        // 2-, 3- and 4-byte characters, so that a cut lands inside each kind.
        const string Sample = "aé€😀z";
        var bytes = Encoding.UTF8.GetBytes(Sample);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var stream = Concat(
                ClientFrame(Text, bytes.AsSpan(0, cut)),
                ClientFrame(Fin | Continuation, bytes.AsSpan(cut)));

            Assert.Equal([Decoded.Text(Sample)], DecodeAll(stream));
        }
    }

    [Fact]
    public void Text_in_one_byte_fragments_reassembles()
    {
        var bytes = Encoding.UTF8.GetBytes("ñ€😀 ok");
        var frames = new List<byte[]> { ClientFrame(Text, bytes.AsSpan(0, 1)) };
        for (var i = 1; i < bytes.Length; i++)
        {
            frames.Add(ClientFrame(i == bytes.Length - 1 ? (byte)(Fin | Continuation) : Continuation, bytes.AsSpan(i, 1)));
        }

        Assert.Equal([Decoded.Text("ñ€😀 ok")], DecodeAll(Concat([.. frames])));
    }

    [Fact]
    public void Binary_fragments_of_mixed_sizes_including_empty_ones_reassemble()
    {
        var payload = Pattern(70_000);
        var stream = Concat(
            ClientFrame(Binary, payload.AsSpan(0, 0)),              // empty first fragment
            ClientFrame(Continuation, payload.AsSpan(0, 125)),
            ClientFrame(Continuation, payload.AsSpan(125, 0)),      // empty middle fragment
            ClientFrame(Continuation, payload.AsSpan(125, 65536)),  // 64-bit length
            ClientFrame(Fin | Continuation, payload.AsSpan(65661))); // 16-bit length

        Assert.Equal([Decoded.Binary(payload)], DecodeAll(stream));
    }

    [Fact]
    public void Control_frames_between_fragments_are_reported_and_the_message_still_reassembles()
    {
        var stream = Concat(
            ClientFrame(Text, "Hel"),
            ClientFrame(Fin | Ping, "p1"),
            ClientFrame(Continuation, "lo "),
            ClientFrame(Fin | Pong, ""),
            ClientFrame(Fin | Ping, new string('P', 125)),
            ClientFrame(Fin | Continuation, "world"),
            ClientFrame(Fin | Binary, [9]));

        Assert.Equal(
            [
                Decoded.Ping("p1"u8),
                Decoded.Pong([]),
                Decoded.Ping(Encoding.ASCII.GetBytes(new string('P', 125))),
                Decoded.Text("Hello world"),
                Decoded.Binary([9]),
            ],
            DecodeAll(stream));
    }

    [Fact]
    public void A_ping_between_the_halves_of_a_split_character_does_not_disturb_utf8_validation()
    {
        var euro = Encoding.UTF8.GetBytes("€"); // E2 82 AC
        var stream = Concat(
            ClientFrame(Text, euro.AsSpan(0, 1)),
            ClientFrame(Fin | Ping, [0xFF, 0xFE]), // not UTF-8, and need not be
            ClientFrame(Fin | Continuation, euro.AsSpan(1)));

        Assert.Equal([Decoded.Ping([0xFF, 0xFE]), Decoded.Text("€")], DecodeAll(stream));
    }

    [Fact]
    public void A_close_between_fragments_is_reported_and_ends_the_stream()
    {
        var stream = Concat(
            ClientFrame(Text, "abc"),
            ClientFrame(Fin | Close, ClosePayload(1001, "bye"u8)),
            ClientFrame(Fin | Continuation, "def"));

        Assert.Equal([Decoded.Close(1001, "bye"u8)], DecodeAll(stream));
    }

    // ---- Every rule ----------------------------------------------------------------------------

    /// <summary>A minimal frame stream breaking each rule, the violation, and the close code it maps to.</summary>
    public static TheoryData<string, byte[], ProtocolViolation, int> Violations()
    {
        var data = new TheoryData<string, byte[], ProtocolViolation, int>
        {
            { "RSV1", ClientFrame(0xC1, "a"), ProtocolViolation.ReservedBitsSet, 1002 },
            { "RSV2", ClientFrame(0xA1, "a"), ProtocolViolation.ReservedBitsSet, 1002 },
            { "RSV3", ClientFrame(0x91, "a"), ProtocolViolation.ReservedBitsSet, 1002 },
            { "RSV on a ping", ClientFrame(0xC9, ""), ProtocolViolation.ReservedBitsSet, 1002 },
            { "RSV on a continuation", Concat(ClientFrame(Text, "a"), ClientFrame(0xC0, "b")), ProtocolViolation.ReservedBitsSet, 1002 },
            { "unmasked text", ClientFrame(Fin | Text, "a", masked: false), ProtocolViolation.UnmaskedClientFrame, 1002 },
            { "unmasked empty ping", ClientFrame(Fin | Ping, [], masked: false), ProtocolViolation.UnmaskedClientFrame, 1002 },
            { "ping of 126 bytes", ClientFrame(Fin | Ping, new byte[126]), ProtocolViolation.ControlFrameTooLong, 1002 },
            { "pong of 126 bytes", ClientFrame(Fin | Pong, new byte[126]), ProtocolViolation.ControlFrameTooLong, 1002 },
            { "close of 126 bytes", ClientFrame(Fin | Close, ClosePayload(1000, new byte[124])), ProtocolViolation.ControlFrameTooLong, 1002 },
            { "ping without FIN", ClientFrame(Ping, ""), ProtocolViolation.FragmentedControlFrame, 1002 },
            { "pong without FIN", ClientFrame(Pong, ""), ProtocolViolation.FragmentedControlFrame, 1002 },
            { "close without FIN", ClientFrame(Close, ClosePayload(1000, [])), ProtocolViolation.FragmentedControlFrame, 1002 },
            { "continuation first", ClientFrame(Fin | Continuation, "a"), ProtocolViolation.ContinuationWithoutMessage, 1002 },
            { "continuation after a whole message", Concat(ClientFrame(Fin | Text, "a"), ClientFrame(Fin | Continuation, "b")), ProtocolViolation.ContinuationWithoutMessage, 1002 },
            { "text inside text", Concat(ClientFrame(Text, "a"), ClientFrame(Fin | Text, "b")), ProtocolViolation.DataFrameInsideFragmentedMessage, 1002 },
            { "binary inside text", Concat(ClientFrame(Text, "a"), ClientFrame(Fin | Binary, "b")), ProtocolViolation.DataFrameInsideFragmentedMessage, 1002 },
            { "64-bit length with MSB set", ClientFrame(Fin | Binary, [], announcedLength: long.MinValue), ProtocolViolation.PayloadLengthTooLarge, 1002 },
            { "64-bit length of all ones", ClientFrame(Fin | Binary, [], announcedLength: -1), ProtocolViolation.PayloadLengthTooLarge, 1002 },
            { "message over the limit", ClientFrame(Fin | Binary, [], announcedLength: DefaultLimit + 1), ProtocolViolation.MessageTooBig, 1009 },
            { "invalid byte 0xFF", ClientFrame(Fin | Text, [0x61, 0xFF]), ProtocolViolation.InvalidUtf8, 1007 },
            { "overlong encoding", ClientFrame(Fin | Text, [0xC0, 0xAF]), ProtocolViolation.InvalidUtf8, 1007 },
            { "UTF-16 surrogate", ClientFrame(Fin | Text, [0xED, 0xA0, 0x80]), ProtocolViolation.InvalidUtf8, 1007 },
            { "text ending inside a character", ClientFrame(Fin | Text, [0x61, 0xE2, 0x82]), ProtocolViolation.InvalidUtf8, 1007 },
            { "fragmented text ending inside a character", Concat(ClientFrame(Text, "a"), ClientFrame(Fin | Continuation, [0xF0, 0x9F])), ProtocolViolation.InvalidUtf8, 1007 },
            { "close of 1 byte", ClientFrame(Fin | Close, [0x03]), ProtocolViolation.CloseFrameOneBytePayload, 1002 },
            { "close code 999", ClientFrame(Fin | Close, ClosePayload(999, [])), ProtocolViolation.InvalidCloseCode, 1002 },
            { "close reason not UTF-8", ClientFrame(Fin | Close, ClosePayload(1000, [0x6F, 0x6B, 0xFF])), ProtocolViolation.InvalidCloseReason, 1007 },
        };
        foreach (var opcode in new byte[] { 0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF })
        {
            data.Add($"opcode 0x{opcode:X}", ClientFrame((byte)(Fin | opcode), ""), ProtocolViolation.ReservedOpcode, 1002);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public void Each_broken_rule_is_reported_with_its_close_code(string name, byte[] stream, ProtocolViolation violation, int closeCode)
    {
        using var decoder = new FrameDecoder(DefaultLimit);
        var buffer = new ReadOnlySequence<byte>(stream);

        var events = DecodeAvailable(decoder, ref buffer);

        // Whole messages before the broken frame are still reported; the violation is the last event.
        Assert.True(events.Count > 0, name);
        Assert.Equal(Decoded.Broken(violation), events[^1]);
        Assert.All(events[..^1], e => Assert.Equal(FrameEventKind.Message, e.Kind));
        Assert.Equal(violation, decoder.Violation);
        Assert.Equal(closeCode, (int)violation.ToCloseCode());
    }

    [Fact]
    public void Every_violation_is_produced_by_some_frame()
    {
        var produced = Violations().Select(row => (ProtocolViolation)row[2]).ToHashSet();

        var all = Enum.GetValues<ProtocolViolation>().Where(v => v != ProtocolViolation.None);

        Assert.All(all, v => Assert.Contains(v, produced));
    }

    [Theory]
    [InlineData(ProtocolViolation.ReservedBitsSet, 1002)]
    [InlineData(ProtocolViolation.ReservedOpcode, 1002)]
    [InlineData(ProtocolViolation.UnmaskedClientFrame, 1002)]
    [InlineData(ProtocolViolation.ControlFrameTooLong, 1002)]
    [InlineData(ProtocolViolation.FragmentedControlFrame, 1002)]
    [InlineData(ProtocolViolation.ContinuationWithoutMessage, 1002)]
    [InlineData(ProtocolViolation.DataFrameInsideFragmentedMessage, 1002)]
    [InlineData(ProtocolViolation.PayloadLengthTooLarge, 1002)]
    [InlineData(ProtocolViolation.MessageTooBig, 1009)]
    [InlineData(ProtocolViolation.InvalidUtf8, 1007)]
    [InlineData(ProtocolViolation.CloseFrameOneBytePayload, 1002)]
    [InlineData(ProtocolViolation.InvalidCloseCode, 1002)]
    [InlineData(ProtocolViolation.InvalidCloseReason, 1007)]
    public void Each_violation_maps_to_its_close_code_and_a_short_ascii_reason(ProtocolViolation violation, int closeCode)
    {
        Assert.Equal(closeCode, (int)violation.ToCloseCode());
        Assert.True(CloseCodeRules.IsValidOnWire(closeCode));

        var reason = violation.ToReason();
        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.NotEqual("no violation", reason);
        Assert.All(reason, c => Assert.InRange(c, ' ', '~'));
        Assert.InRange(reason.Length, 1, ProtocolLimits.MaxCloseReasonBytes);
    }

    [Fact]
    public void Every_violation_has_a_reason_of_its_own()
    {
        var violations = Enum.GetValues<ProtocolViolation>().Where(v => v != ProtocolViolation.None).ToList();

        Assert.Equal(violations.Count, violations.Select(v => v.ToReason()).Distinct().Count());
    }

    [Fact]
    public void A_utf8_error_fails_before_the_rest_of_the_frame_arrives()
    {
        // Fail fast (8.1): a frame announcing 1000 bytes whose first bytes are already invalid.
        var frame = ClientFrame(Fin | Text, Concat("ok"u8.ToArray(), [0xFF], new byte[997]));
        using var decoder = new FrameDecoder(DefaultLimit);
        var buffer = new ReadOnlySequence<byte>(frame.AsMemory(0, 6 + 4 + 3)); // header (8 bytes) + "ok" + 0xFF

        Assert.Equal([Decoded.Broken(ProtocolViolation.InvalidUtf8)], DecodeAvailable(decoder, ref buffer));
    }

    // ---- Message size limit -------------------------------------------------------------------

    [Theory]
    [InlineData(1000, 1001L)]
    [InlineData(1000, 65536L)]
    [InlineData(1000, 1L << 40)]
    [InlineData(1000, long.MaxValue)]
    [InlineData(0, 1L)]
    public void MessageTooBig_is_reported_from_the_header_alone(int limit, long announced)
    {
        // Only the header is fed: no payload byte needs to arrive (nor to be buffered) for the verdict.
        var header = ClientFrame(Fin | Binary, [], announcedLength: announced);
        using var decoder = new FrameDecoder(limit);
        var buffer = new ReadOnlySequence<byte>(header);

        var e = decoder.Decode(ref buffer);

        Assert.Equal(FrameEventKind.Violation, e.Kind);
        Assert.Equal(ProtocolViolation.MessageTooBig, e.Violation);
        Assert.Equal(CloseCode.MessageTooBig, e.Violation.ToCloseCode());
    }

    [Fact]
    public void A_message_of_exactly_the_limit_is_accepted_and_one_byte_more_is_not()
    {
        const int Limit = 1000;
        var exactly = Pattern(Limit);

        Assert.Equal([Decoded.Binary(exactly)], DecodeAll(ClientFrame(Fin | Binary, exactly), Limit));
        Assert.Equal([Decoded.Broken(ProtocolViolation.MessageTooBig)], DecodeAll(ClientFrame(Fin | Binary, Pattern(Limit + 1)), Limit));
    }

    [Fact]
    public void Fragments_summing_to_exactly_the_limit_are_accepted()
    {
        const int Limit = 1000;
        var payload = Pattern(Limit);
        var stream = Concat(
            ClientFrame(Binary, payload.AsSpan(0, 400)),
            ClientFrame(Fin | Ping, new byte[125]), // control payloads do not count towards the message
            ClientFrame(Continuation, payload.AsSpan(400, 599)),
            ClientFrame(Fin | Continuation, payload.AsSpan(999, 1)));

        Assert.Equal([Decoded.Ping(new byte[125]), Decoded.Binary(payload)], DecodeAll(stream, Limit));
    }

    [Fact]
    public void Fragments_summing_to_more_than_the_limit_fail_at_the_header_of_the_fragment_that_crosses_it()
    {
        const int Limit = 1000;
        var first = ClientFrame(Text, new string('a', 600));
        var second = ClientFrame(Continuation, new string('b', 400));
        var crossing = ClientFrame(Fin | Continuation, "c");
        using var decoder = new FrameDecoder(Limit);
        // Only the header of the crossing fragment (2 + 4 bytes), not its payload.
        var buffer = new ReadOnlySequence<byte>(Concat(first, second, crossing[..6]));

        Assert.Equal([Decoded.Broken(ProtocolViolation.MessageTooBig)], DecodeAvailable(decoder, ref buffer));
    }

    [Fact]
    public void The_limit_applies_to_each_message_not_to_the_connection()
    {
        const int Limit = 100;
        var stream = Concat(
            ClientFrame(Fin | Binary, Pattern(100)),
            ClientFrame(Binary, Pattern(50)),
            ClientFrame(Fin | Continuation, Pattern(50)),
            ClientFrame(Fin | Text, new string('t', 100)));

        var events = DecodeAll(stream, Limit);

        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(FrameEventKind.Message, e.Kind));
    }

    // ---- Close frames ------------------------------------------------------------------------

    [Fact]
    public void Close_without_payload_has_no_code_and_no_reason()
    {
        Assert.Equal([Decoded.Close(0, [])], DecodeAll(ClientFrame(Fin | Close, [])));
    }

    [Fact]
    public void Close_with_a_code_only_has_that_code_and_an_empty_reason()
    {
        Assert.Equal([Decoded.Close(1000, [])], DecodeAll(ClientFrame(Fin | Close, ClosePayload(1000, []))));
    }

    [Fact]
    public void Close_with_a_code_and_a_reason_has_both()
    {
        var reason = Encoding.UTF8.GetBytes("gone – für immer 😀");

        Assert.Equal([Decoded.Close(1001, reason)], DecodeAll(ClientFrame(Fin | Close, ClosePayload(1001, reason))));
    }

    [Fact]
    public void Close_with_a_reason_of_123_bytes_is_accepted()
    {
        var reason = Encoding.ASCII.GetBytes(new string('r', 123));

        Assert.Equal([Decoded.Close(4000, reason)], DecodeAll(ClientFrame(Fin | Close, ClosePayload(4000, reason))));
    }

    [Fact]
    public void Close_with_a_one_byte_payload_is_a_violation()
    {
        Assert.Equal([Decoded.Broken(ProtocolViolation.CloseFrameOneBytePayload)], DecodeAll(ClientFrame(Fin | Close, [0x03])));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void Close_with_an_invalid_code_is_a_violation(int code)
    {
        Assert.False(CloseCodeRules.IsValidOnWire(code));
        Assert.Equal([Decoded.Broken(ProtocolViolation.InvalidCloseCode)], DecodeAll(ClientFrame(Fin | Close, ClosePayload(code, []))));
        Assert.Equal([Decoded.Broken(ProtocolViolation.InvalidCloseCode)], DecodeAll(ClientFrame(Fin | Close, ClosePayload(code, "why"u8))));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1002)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1008)]
    [InlineData(1009)]
    [InlineData(1010)]
    [InlineData(1011)]
    [InlineData(1012)]
    [InlineData(1013)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(3999)]
    [InlineData(4000)]
    [InlineData(4999)]
    public void Close_with_a_valid_code_is_reported(int code)
    {
        Assert.True(CloseCodeRules.IsValidOnWire(code));
        Assert.Equal([Decoded.Close((ushort)code, "ok"u8)], DecodeAll(ClientFrame(Fin | Close, ClosePayload(code, "ok"u8))));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]             // truncated 2-byte character
    [InlineData(new byte[] { 0xE2, 0x82 })]       // truncated 3-byte character
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // surrogate
    [InlineData(new byte[] { 0xC0, 0x80 })]       // overlong NUL
    public void Close_with_an_invalid_utf8_reason_is_a_violation(byte[] reason)
    {
        Assert.Equal([Decoded.Broken(ProtocolViolation.InvalidCloseReason)], DecodeAll(ClientFrame(Fin | Close, ClosePayload(1000, reason))));
    }

    [Fact]
    public void After_a_close_further_bytes_are_consumed_and_ignored()
    {
        using var decoder = new FrameDecoder(DefaultLimit);
        var buffer = new ReadOnlySequence<byte>(Concat(ClientFrame(Fin | Close, ClosePayload(1000, [])), ClientFrame(Fin | Text, "late")));

        Assert.Equal(FrameEventKind.Close, decoder.Decode(ref buffer).Kind);
        Assert.Equal(FrameEventKind.NeedMoreData, decoder.Decode(ref buffer).Kind);
        Assert.True(buffer.IsEmpty);

        var more = new ReadOnlySequence<byte>(ClientFrame(Fin | Binary, [1, 2, 3]));
        Assert.Equal(FrameEventKind.NeedMoreData, decoder.Decode(ref more).Kind);
        Assert.True(more.IsEmpty);
    }

    // ---- Violations are final ------------------------------------------------------------------

    [Fact]
    public void After_a_violation_further_bytes_are_discarded_and_nothing_more_is_reported()
    {
        using var decoder = new FrameDecoder(DefaultLimit);
        var buffer = new ReadOnlySequence<byte>(Concat(ClientFrame(Fin | Text, "fine"), ClientFrame(0xC1, "bad"), ClientFrame(Fin | Text, "after")));

        Assert.Equal(Decoded.Text("fine"), Decoded.From(decoder.Decode(ref buffer)));
        Assert.Equal(Decoded.Broken(ProtocolViolation.ReservedBitsSet), Decoded.From(decoder.Decode(ref buffer)));
        Assert.Equal(FrameEventKind.NeedMoreData, decoder.Decode(ref buffer).Kind);
        Assert.True(buffer.IsEmpty, "the rest of the buffer is discarded");

        var more = TestSegment.Split(Concat(ClientFrame(Fin | Text, "x"), ClientFrame(Fin | Ping, "y")), 3);
        Assert.Equal(FrameEventKind.NeedMoreData, decoder.Decode(ref more).Kind);
        Assert.True(more.IsEmpty);
        Assert.Equal(ProtocolViolation.ReservedBitsSet, decoder.Violation);
    }

    [Fact]
    public void A_fresh_decoder_reports_no_violation()
    {
        using var decoder = new FrameDecoder(DefaultLimit);

        Assert.Equal(ProtocolViolation.None, decoder.Violation);
    }

    // ---- Incomplete input ----------------------------------------------------------------------

    /// <summary>A stream with every header form, fragmentation and control frames, and where each frame starts.</summary>
    private static (byte[] Stream, List<(int Start, int HeaderLength, int End)> Frames, List<(int End, Decoded Event)> Events) PrefixStream()
    {
        var frames = new List<(byte[] Bytes, int HeaderLength, Decoded? Completes)>
        {
            (ClientFrame(Fin | Text, "hi"), 6, Decoded.Text("hi")),
            (ClientFrame(Fin | Binary, []), 6, Decoded.Binary([])),
            (ClientFrame(Fin | Binary, Pattern(126)), 8, Decoded.Binary(Pattern(126))),
            (ClientFrame(Text, "é€"u8[..3]), 6, null),
            (ClientFrame(Fin | Ping, "p"), 6, Decoded.Ping("p"u8)),
            (ClientFrame(Fin | Continuation, "é€"u8[3..]), 6, Decoded.Text("é€")),
            (ClientFrame(Fin | Pong, [7, 8, 9]), 6, Decoded.Pong([7, 8, 9])),
            (ClientFrame(Fin | Close, ClosePayload(1000, "end"u8)), 6, Decoded.Close(1000, "end"u8)),
        };
        var stream = new List<byte>();
        var layout = new List<(int, int, int)>();
        var events = new List<(int, Decoded)>();
        foreach (var (bytes, headerLength, completes) in frames)
        {
            layout.Add((stream.Count, headerLength, stream.Count + bytes.Length));
            stream.AddRange(bytes);
            if (completes is not null)
            {
                events.Add((stream.Count, completes));
            }
        }

        return (stream.ToArray(), layout, events);
    }

    [Fact]
    public void Every_prefix_of_a_stream_yields_the_completed_events_then_NeedMoreData_leaving_only_a_partial_header()
    {
        var (stream, frames, events) = PrefixStream();

        for (var length = 0; length < stream.Length; length++)
        {
            using var decoder = new FrameDecoder(DefaultLimit);
            var buffer = new ReadOnlySequence<byte>(stream, 0, length);

            var decoded = DecodeAvailable(decoder, ref buffer);

            var expectedEvents = events.Where(e => e.End <= length).Select(e => e.Event).ToList();
            Assert.Equal(expectedEvents, decoded);
            // A partial header stays in the buffer (nothing of it consumed); payload bytes are consumed as they come.
            var current = frames.First(f => f.End > length);
            var intoFrame = length - current.Start;
            var expectedLeft = intoFrame < current.HeaderLength ? intoFrame : 0;
            Assert.True(expectedLeft == buffer.Length, $"prefix {length}: {buffer.Length} bytes left, expected {expectedLeft}");
            if (expectedLeft > 0)
            {
                Assert.Equal(stream.AsSpan(current.Start, expectedLeft).ToArray(), buffer.ToArray());
            }
        }
    }

    [Fact]
    public void Every_prefix_of_a_64_bit_length_frame_header_is_left_unconsumed()
    {
        var frame = ClientFrame(Fin | Binary, Pattern(65536));

        for (var length = 0; length < 14; length++)
        {
            using var decoder = new FrameDecoder(DefaultLimit);
            var buffer = TestSegment.OneBytePerSegment(frame.AsSpan(0, length));

            Assert.Equal(FrameEventKind.NeedMoreData, decoder.Decode(ref buffer).Kind);
            Assert.Equal(length, buffer.Length);
        }

        // Once the header is whole it is consumed, and payload bytes are consumed as they arrive.
        foreach (var length in new[] { 14, 15, 1000, frame.Length - 1 })
        {
            using var decoder = new FrameDecoder(DefaultLimit);
            var buffer = new ReadOnlySequence<byte>(frame, 0, length);

            Assert.Equal(FrameEventKind.NeedMoreData, decoder.Decode(ref buffer).Kind);
            Assert.Equal(0, buffer.Length);
        }
    }

    [Fact]
    public void The_stream_fed_one_byte_at_a_time_decodes_the_same()
    {
        var (stream, _, events) = PrefixStream();
        using var decoder = new FrameDecoder(DefaultLimit);

        var decoded = DecodeInChunks(decoder, stream.Select(b => new[] { b }));

        Assert.Equal(events.Select(e => e.Event), decoded);
    }

    [Fact]
    public void The_stream_split_into_two_reads_at_every_position_decodes_the_same()
    {
        var (stream, _, events) = PrefixStream();
        for (var cut = 0; cut <= stream.Length; cut++)
        {
            using var decoder = new FrameDecoder(DefaultLimit);

            var decoded = DecodeInChunks(decoder, [stream[..cut], stream[cut..]]);

            Assert.Equal(events.Select(e => e.Event), decoded);
        }
    }

    [Fact]
    public void The_stream_in_one_multi_segment_sequence_split_at_every_pair_of_positions_decodes_the_same()
    {
        var (stream, _, events) = PrefixStream();
        for (var first = 0; first <= stream.Length; first += 3)
        {
            for (var second = first; second <= stream.Length; second += 5)
            {
                using var decoder = new FrameDecoder(DefaultLimit);
                var buffer = TestSegment.Split(stream, first, second);

                Assert.Equal(events.Select(e => e.Event), DecodeAvailable(decoder, ref buffer));
            }
        }
    }

    // ---- Randomized round trip ---------------------------------------------------------------

    [Fact]
    public void Random_message_streams_split_into_random_segments_decode_to_what_was_encoded()
    {
        var random = new Random(6455);
        for (var round = 0; round < 150; round++)
        {
            var (stream, expected) = RandomStream(random);

            // Random chunk sizes: mostly small (to split headers), sometimes large.
            var chunks = new List<byte[]>();
            for (var offset = 0; offset < stream.Length;)
            {
                var size = random.Next(4) switch
                {
                    0 => random.Next(1, 4),
                    1 => random.Next(1, 20),
                    2 => random.Next(1, 300),
                    _ => random.Next(1, 20_000),
                };
                size = Math.Min(size, stream.Length - offset);
                chunks.Add(stream[offset..(offset + size)]);
                offset += size;
            }

            using var decoder = new FrameDecoder(DefaultLimit);
            var decoded = DecodeInChunks(decoder, chunks, random);

            Assert.True(expected.SequenceEqual(decoded), $"round {round}: expected {expected.Count} events, decoded {decoded.Count}; first difference at {FirstDifference(expected, decoded)}");
        }
    }

    private static string FirstDifference(List<Decoded> expected, List<Decoded> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i] != actual[i])
            {
                return $"#{i}: expected {expected[i]}, got {actual[i]}";
            }
        }

        return $"#{Math.Min(expected.Count, actual.Count)} (lengths differ)";
    }

    private static (byte[] Stream, List<Decoded> Expected) RandomStream(Random random)
    {
        var stream = new List<byte>();
        var expected = new List<Decoded>();

        void Control()
        {
            var payload = new byte[random.Next(3) switch { 0 => 0, 1 => random.Next(1, 10), _ => random.Next(0, 126) }];
            random.NextBytes(payload);
            var pong = random.Next(2) == 0;
            stream.AddRange(ClientFrame((byte)(Fin | (pong ? Pong : Ping)), payload, RandomKey(random)));
            expected.Add(pong ? Decoded.Pong(payload) : Decoded.Ping(payload));
        }

        var messages = random.Next(1, 12);
        for (var m = 0; m < messages; m++)
        {
            var isText = random.Next(2) == 0;
            var payload = isText ? Encoding.UTF8.GetBytes(RandomText(random, RandomSize(random))) : RandomBytes(random, RandomSize(random));

            // Cut into 1..5 fragments at random byte positions (inside characters too; empty fragments allowed).
            var cuts = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(0, payload.Length + 1)).Order().ToList();
            var bounds = new List<int> { 0 };
            bounds.AddRange(cuts);
            bounds.Add(payload.Length);
            for (var f = 0; f + 1 < bounds.Count; f++)
            {
                var first = f == 0;
                var last = f + 2 == bounds.Count;
                var opcode = first ? (isText ? Text : Binary) : Continuation;
                stream.AddRange(ClientFrame((byte)((last ? Fin : 0) | opcode), payload.AsSpan(bounds[f], bounds[f + 1] - bounds[f]), RandomKey(random)));
                if (!last && random.Next(3) == 0)
                {
                    Control();
                }
            }

            expected.Add(Decoded.Message(isText ? MessageType.Text : MessageType.Binary, payload));
            if (random.Next(4) == 0)
            {
                Control();
            }
        }

        if (random.Next(2) == 0)
        {
            var reason = Encoding.UTF8.GetBytes(RandomText(random, random.Next(0, 30)));
            stream.AddRange(ClientFrame(Fin | Close, ClosePayload(1000, reason), RandomKey(random)));
            expected.Add(Decoded.Close(1000, reason));
        }

        return (stream.ToArray(), expected);
    }

    private static int RandomSize(Random random) => random.Next(10) switch
    {
        < 5 => random.Next(0, 130),
        < 8 => random.Next(120, 1000),
        8 => new[] { 125, 126, 127, 65535, 65536 }[random.Next(5)],
        _ => random.Next(1000, 70_000),
    };

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] RandomKey(Random random) => RandomBytes(random, 4);

    /// <summary>Valid text of about <paramref name="approximateBytes"/> UTF-8 bytes, mixing 1- to 4-byte characters.</summary>
    private static string RandomText(Random random, int approximateBytes)
    {
        var text = new StringBuilder();
        var bytes = 0;
        while (bytes < approximateBytes)
        {
            switch (random.Next(8))
            {
                case < 4:
                    text.Append((char)random.Next(0x20, 0x7F));
                    bytes += 1;
                    break;
                case < 6:
                    text.Append((char)random.Next(0x80, 0x800));
                    bytes += 2;
                    break;
                case 6:
                    // 3 bytes, avoiding the surrogate range.
                    var c = random.Next(0x800, 0xF000);
                    text.Append((char)(c is >= 0xD800 and < 0xE000 ? c + 0x800 : c));
                    bytes += 3;
                    break;
                default:
                    text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    bytes += 4;
                    break;
            }
        }

        return text.ToString();
    }

    // ---- Differential: bytes from System.Net.WebSockets ----------------------------------------

    [Fact]
    public async Task Frames_from_the_dotnet_websocket_client_decode_to_the_messages_it_sent()
    {
        using var wire = new MemoryStream();
        using var client = WebSocket.CreateFromStream(wire, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var expected = new List<Decoded>();
        var random = new Random(17);

        foreach (var size in new[] { 0, 1, 125, 126, 127, 65535, 65536, 200_000 })
        {
            var text = RandomText(random, size);
            var textBytes = Encoding.UTF8.GetBytes(text);
            await client.SendAsync(textBytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            expected.Add(Decoded.Message(MessageType.Text, textBytes));

            var binary = RandomBytes(random, size);
            await client.SendAsync(binary, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            expected.Add(Decoded.Binary(binary));
        }

        // Fragments: EndOfMessage=false, including cuts inside a multi-byte character and an empty fragment.
        var fragmented = Encoding.UTF8.GetBytes("frag: é€😀 " + RandomText(random, 3000));
        foreach (var (start, end) in new[] { (0, 7), (7, 9), (9, 9), (9, 200), (200, fragmented.Length - 1) })
        {
            await client.SendAsync(fragmented.AsMemory(start, end - start), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        }

        await client.SendAsync(fragmented.AsMemory(fragmented.Length - 1), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        expected.Add(Decoded.Message(MessageType.Text, fragmented));

        var fragmentedBinary = RandomBytes(random, 140_000);
        await client.SendAsync(fragmentedBinary.AsMemory(0, 70_000), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        await client.SendAsync(fragmentedBinary.AsMemory(70_000), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        expected.Add(Decoded.Binary(fragmentedBinary));

        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done here", CancellationToken.None);
        expected.Add(Decoded.Close(1000, "done here"u8));

        var bytes = wire.ToArray();
        Assert.True(FrameHeader.TryRead(bytes, out var firstHeader, out _));
        Assert.True(firstHeader.Masked, "a client must mask");

        // All at once, and in random pieces as a socket would deliver them.
        Assert.True(expected.SequenceEqual(DecodeAll(bytes)), "decoded in one buffer");
        var chunks = bytes.Chunk(1000 + random.Next(3000)).ToList();
        using var decoder = new FrameDecoder(DefaultLimit);
        var decoded = DecodeInChunks(decoder, chunks, random);
        Assert.True(expected.SequenceEqual(decoded), $"decoded in chunks: first difference at {FirstDifference(expected, decoded)}");
    }

    // ---- Allocations -----------------------------------------------------------------------------

    [Fact]
    public void Decoding_small_messages_allocates_nothing_after_warm_up()
    {
        var frames = new List<byte[]>();
        var random = new Random(3);
        for (var i = 0; i < 1000; i++)
        {
            var payload = RandomBytes(random, random.Next(0, 120));
            frames.Add(i % 2 == 0
                ? ClientFrame(Fin | Text, Encoding.UTF8.GetBytes($"move {i} é€"), RandomKey(random))
                : ClientFrame(Fin | Binary, payload, RandomKey(random)));
            if (i % 50 == 0)
            {
                frames.Add(ClientFrame(Fin | Ping, "keepalive"u8, RandomKey(random)));
            }
        }

        var stream = Concat([.. frames]);
        using var decoder = new FrameDecoder(DefaultLimit);

        // Warm up: JIT, tiering and the array pool's per-thread cache.
        for (var pass = 0; pass < 3; pass++)
        {
            var warm = new ReadOnlySequence<byte>(stream);
            Assert.Equal(1020, CountEvents(decoder, ref warm));
        }

        var buffer = new ReadOnlySequence<byte>(stream);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = CountEvents(decoder, ref buffer);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1020, count);
        Assert.Equal(0L, allocated);
    }

    private static int CountEvents(FrameDecoder decoder, ref ReadOnlySequence<byte> buffer)
    {
        var count = 0;
        while (decoder.Decode(ref buffer).Kind != FrameEventKind.NeedMoreData)
        {
            count++;
        }

        return count;
    }
}
