using WsGame.Api.Tests.Infrastructure;
using static WsGame.Api.Tests.WebSockets.Conformance.ConformanceAssert;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>
/// Autobahn section 9 (scaled to the server's 1 MiB default limit): large messages up to the limit are echoed
/// whole, in one frame or in fragments; anything beyond fails the connection with 1009, as early as the
/// announced length shows it.
/// </summary>
public class Section9LargeMessagesTests(EchoServerFixture server) : IClassFixture<EchoServerFixture>
{
    private const int Limit = EchoServerFixture.DefaultMaxMessageBytes;
    private const int FragmentSize = 64 * 1024;
    private static readonly TimeSpan LargeTimeout = TimeSpan.FromSeconds(15);

    public static TheoryData<int, int, bool> Messages
    {
        get
        {
            var data = new TheoryData<int, int, bool>();
            foreach (var opcode in new[] { WebSocketOpcode.Text, WebSocketOpcode.Binary })
            {
                foreach (var size in new[] { 64 * 1024, 256 * 1024, Limit })
                {
                    data.Add(opcode, size, false);
                    data.Add(opcode, size, true);
                }
            }

            return data;
        }
    }

    public static TheoryData<int> DataOpcodes => new() { WebSocketOpcode.Text, WebSocketOpcode.Binary };

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task A_large_message_up_to_the_limit_is_echoed_whole(int opcode, int size, bool in64KiBFragments)
    {
        await using var client = await server.ConnectAsync();
        var payload = opcode == WebSocketOpcode.Text ? Payloads.Text(size) : Payloads.Binary(size);

        var frames = in64KiBFragments
            ? Frames.Fragmented(opcode, Payloads.Chunks(payload, FragmentSize))
            : RawWebSocketClient.BuildFrame(opcode, payload);
        await client.SendRawAsync(frames);

        await ExpectEchoAsync(client, opcode, payload, LargeTimeout);
    }

    [Theory]
    [MemberData(nameof(DataOpcodes))]
    public async Task A_frame_announcing_one_byte_more_than_the_limit_fails_with_1009_before_its_payload_is_sent(int opcode)
    {
        await using var client = await server.ConnectAsync();

        // The header only: 64-bit length form announcing 1 MiB + 1 bytes; no payload follows.
        await client.SendRawAsync(RawWebSocketClient.BuildFrameHeader(opcode, Limit + 1L));

        await ExpectFailureAsync(client, 1009);
    }

    [Fact]
    public async Task A_frame_header_announcing_too_much_as_bytes_fails_with_1009_without_a_close_reply()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x82,                                           // FIN + binary
            0xFF,                                           // MASK + 64-bit length follows
            0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x01, // length 1048577 = 1 MiB + 1
            0x01, 0x02, 0x03, 0x04,                         // mask key (the payload never comes)
        });

        await ExpectFailureAsync(client, 1009, replyWithClose: false);
    }

    [Fact]
    public async Task A_first_fragment_announcing_more_than_the_limit_fails_with_1009_before_its_payload_is_sent()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(RawWebSocketClient.BuildFrameHeader(WebSocketOpcode.Binary, 2L * Limit, fin: false));

        await ExpectFailureAsync(client, 1009);
    }

    [Theory]
    [MemberData(nameof(DataOpcodes))]
    public async Task Fragments_adding_up_to_one_byte_more_than_the_limit_fail_with_1009(int opcode)
    {
        await using var client = await server.ConnectAsync();
        var payload = opcode == WebSocketOpcode.Text ? Payloads.Text(Limit) : Payloads.Binary(Limit);
        var pieces = Payloads.Chunks(payload, FragmentSize);

        // 16 fragments of 64 KiB reach the limit exactly without FIN; one more byte goes over it.
        var frames = new List<byte[]>();
        for (var i = 0; i < pieces.Count; i++)
        {
            frames.Add(RawWebSocketClient.BuildFrame(i == 0 ? opcode : WebSocketOpcode.Continuation, pieces[i], fin: false));
        }

        frames.Add(RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, "x"u8));
        await client.SendRawAsync(Frames.Concat([.. frames]));

        await ExpectFailureAsync(client, 1009);
    }

    [Fact]
    public async Task A_continuation_announcing_more_than_the_rest_of_the_limit_fails_with_1009_before_its_payload_is_sent()
    {
        await using var client = await server.ConnectAsync();

        await client.SendFrameAsync(WebSocketOpcode.Binary, Payloads.Binary(FragmentSize), fin: false);
        await client.SendRawAsync(RawWebSocketClient.BuildFrameHeader(WebSocketOpcode.Continuation, Limit - FragmentSize + 1L));

        await ExpectFailureAsync(client, 1009);
    }

    [Fact]
    public async Task A_64_bit_length_with_only_the_most_significant_bit_extra_fails_with_1002()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x82,                                           // FIN + binary
            0xFF,                                           // MASK + 64-bit length follows
            0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, // most significant bit set, otherwise 5
            0x01, 0x02, 0x03, 0x04,                         // mask key
            0x00, 0x00, 0x00, 0x00, 0x00,                   // 5 payload bytes
        });

        await ExpectFailureAsync(client, 1002);
    }

    [Fact]
    public async Task A_64_bit_length_with_every_bit_set_fails_with_1002()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x82,                                           // FIN + binary
            0xFF,                                           // MASK + 64-bit length follows
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // length: every bit set
            0x01, 0x02, 0x03, 0x04,                         // mask key
        });

        await ExpectFailureAsync(client, 1002, replyWithClose: false);
    }
}
