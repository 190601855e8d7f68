using System.Text;
using WsGame.Api.Tests.Infrastructure;
using static WsGame.Api.Tests.WebSockets.Conformance.ConformanceAssert;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>
/// Autobahn section 6: text messages must be valid UTF-8. Valid text is echoed however it is fragmented;
/// invalid text fails the connection with 1007, as soon as the invalid bytes arrive.
/// </summary>
public class Section6Utf8Tests(SmallLimitEchoServerFixture server) : IClassFixture<SmallLimitEchoServerFixture>
{
    /// <summary>Valid UTF-8, as hex: boundaries of each sequence length, 4-byte sequences, noncharacters.</summary>
    public static TheoryData<string> ValidUtf8 => new()
    {
        Convert.ToHexString(Encoding.UTF8.GetBytes("Hello-µ@ßöäüàá-UTF-8!!")),
        "CEBAE1BDB9CFBCCF83CEB5", // κόσμε
        "00",                     // U+0000
        "7F",                     // U+007F, last 1-byte
        "C280",                   // U+0080, first 2-byte
        "DFBF",                   // U+07FF, last 2-byte
        "E0A080",                 // U+0800, first 3-byte
        "ED9FBF",                 // U+D7FF, just below the surrogates
        "EE8080",                 // U+E000, just above the surrogates
        "EFBFBD",                 // U+FFFD
        "EFBFBE",                 // U+FFFE, a noncharacter, still valid UTF-8
        "EFBFBF",                 // U+FFFF, last 3-byte
        "F0908080",               // U+10000, first 4-byte
        "F09F9880",               // U+1F600 😀
        "F48FBFBF",               // U+10FFFF, last code point
        "F09F9880F09F9881F09F9882", // three 4-byte sequences in a row
    };

    /// <summary>Invalid UTF-8, as hex, each in a text message of one frame.</summary>
    public static TheoryData<string> InvalidUtf8 => new()
    {
        "C080",                   // overlong U+0000
        "C1BF",                   // overlong U+007F
        "E08080",                 // overlong 3-byte U+0000
        "E09FBF",                 // overlong 3-byte U+07FF
        "F0808080",               // overlong 4-byte U+0000
        "F08FBFBF",               // overlong 4-byte U+FFFF
        "EDA080",                 // surrogate U+D800
        "EDBFBF",                 // surrogate U+DFFF
        "EDA080EDB080",           // surrogate pair encoded as two 3-byte sequences
        "F4908080",               // U+110000, above the last code point
        "F5808080",               // lead byte F5 is never valid
        "FE",                     // never valid
        "FF",                     // never valid
        "80",                     // lone continuation byte
        "BF",                     // lone continuation byte
        "C020",                   // lead byte followed by a non-continuation
        "CEBAE1BDB9CFBCCF83CEB5EDA080656469746564", // κόσμε, a surrogate, "edited"
        "CE",                     // 2-byte sequence truncated at message end
        "E1BD",                   // 3-byte sequence truncated at message end
        "F09080",                 // 4-byte sequence truncated at message end
        "48656C6C6FF09F98",       // "Hello" and a truncated 😀 at message end
    };

    /// <summary>Invalid UTF-8 split over two fragments: neither piece is invalid on its own before the split.</summary>
    public static TheoryData<string, string> InvalidAcrossFragments => new()
    {
        { "CEBAE1BDB9CFBCCF83CEB5F4", "908080" }, // κόσμε + F4 | 90 80 80 (above U+10FFFF)
        { "48656C6C6FED", "A080" },               // "Hello" + ED | A0 80 (surrogate)
        { "E0", "8080" },                         // E0 | 80 80 (overlong)
        { "F09F", "4141" },                       // 4-byte lead | ASCII
        { "CEBA", "E1" },                         // κ | E1 truncated at message end
        { "F09080", "" },                         // truncated 4-byte sequence, then an empty final fragment
    };

    /// <summary>A first fragment that is invalid as soon as it arrives, whatever would follow.</summary>
    public static TheoryData<string> InvalidFirstFragments => new()
    {
        "CEBAE1BDB9CFBCCF83CEB5F4908080", // κόσμε + U+110000
        "CEBAE1BDB9CFBCCF83CEB5EDA080",   // κόσμε + surrogate
        "48656C6C6FC0",                   // "Hello" + C0 (never valid)
        "80",                             // lone continuation byte
        "F490",                           // F4 90 cannot start any valid sequence
    };

    [Theory]
    [MemberData(nameof(ValidUtf8))]
    public async Task Valid_utf8_in_one_frame_is_echoed(string hex)
    {
        await using var client = await server.ConnectAsync();
        var payload = Convert.FromHexString(hex);

        await client.SendFrameAsync(WebSocketOpcode.Text, payload);

        await ExpectEchoAsync(client, WebSocketOpcode.Text, payload);
    }

    [Theory]
    [MemberData(nameof(ValidUtf8))]
    public async Task Valid_utf8_in_one_byte_fragments_is_echoed(string hex)
    {
        // Splits every multi-byte sequence across fragment boundaries.
        await using var client = await server.ConnectAsync();
        var payload = Convert.FromHexString(hex);

        await client.SendRawAsync(Frames.Fragmented(WebSocketOpcode.Text, Payloads.Chunks(payload, 1)));

        await ExpectEchoAsync(client, WebSocketOpcode.Text, payload);
    }

    [Fact]
    public async Task A_4_byte_sequence_split_at_every_position_across_fragments_is_echoed()
    {
        await using var client = await server.ConnectAsync();
        var payload = Convert.FromHexString("41F09F988042"); // A😀B

        for (var split = 1; split < payload.Length; split++)
        {
            await client.SendRawAsync(Frames.Fragmented(WebSocketOpcode.Text, [payload[..split], payload[split..]]));
            await ExpectEchoAsync(client, WebSocketOpcode.Text, payload);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Invalid_utf8_in_a_text_message_fails_the_connection_with_1007(string hex)
    {
        await using var client = await server.ConnectAsync();

        await client.SendFrameAsync(WebSocketOpcode.Text, Convert.FromHexString(hex));

        await ExpectFailureAsync(client, 1007);
    }

    [Fact]
    public async Task A_surrogate_as_bytes_fails_the_connection_with_1007_without_a_close_reply()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x81,                   // FIN + text
            0x83,                   // MASK + length 3
            0x00, 0x00, 0x00, 0x00, // mask key 0
            0xED, 0xA0, 0x80,       // U+D800 encoded: a surrogate, invalid in UTF-8
        });

        await ExpectFailureAsync(client, 1007, replyWithClose: false);
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Invalid_utf8_in_one_byte_fragments_fails_the_connection_with_1007(string hex)
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Fragmented(WebSocketOpcode.Text, Payloads.Chunks(Convert.FromHexString(hex), 1)));

        await ExpectFailureAsync(client, 1007);
    }

    [Theory]
    [MemberData(nameof(InvalidAcrossFragments))]
    public async Task Invalid_utf8_split_across_fragments_fails_the_connection_with_1007(string firstHex, string secondHex)
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Fragmented(WebSocketOpcode.Text,
            [Convert.FromHexString(firstHex), Convert.FromHexString(secondHex)]));

        await ExpectFailureAsync(client, 1007);
    }

    [Theory]
    [MemberData(nameof(InvalidFirstFragments))]
    public async Task Invalid_utf8_in_a_first_fragment_fails_the_connection_before_the_message_is_finished(string hex)
    {
        await using var client = await server.ConnectAsync();

        // Only the first fragment; the rest of the message is never sent.
        await client.SendFrameAsync(WebSocketOpcode.Text, Convert.FromHexString(hex), fin: false);

        await ExpectFailureAsync(client, 1007);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_later_fragment_fails_the_connection_before_the_message_is_finished()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            Frames.Text("valid start ", fin: false),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, Convert.FromHexString("EDA080"), fin: false)));

        await ExpectFailureAsync(client, 1007);
    }

    [Fact]
    public async Task A_valid_text_before_an_invalid_one_is_echoed_first()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            Frames.Text("κόσμε"),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, Convert.FromHexString("C080"))));

        await ExpectTextEchoAsync(client, "κόσμε");
        await ExpectFailureAsync(client, 1007);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_binary_message_is_echoed_untouched()
    {
        await using var client = await server.ConnectAsync();
        var payload = Convert.FromHexString("C080EDA080F4908080FEFF80");

        await client.SendFrameAsync(WebSocketOpcode.Binary, payload);

        await ExpectEchoAsync(client, WebSocketOpcode.Binary, payload);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_ping_is_answered_untouched()
    {
        await using var client = await server.ConnectAsync();
        var payload = Convert.FromHexString("C080EDA080FF");

        await client.SendFrameAsync(WebSocketOpcode.Ping, payload);

        await ExpectPongAsync(client, payload);
    }
}
