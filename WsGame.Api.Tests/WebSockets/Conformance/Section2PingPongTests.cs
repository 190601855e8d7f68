using System.Text;
using WsGame.Api.Tests.Infrastructure;
using static WsGame.Api.Tests.WebSockets.Conformance.ConformanceAssert;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>Autobahn section 2: pings are answered with identical pongs, pongs are ignored, control frame limits.</summary>
public class Section2PingPongTests(SmallLimitEchoServerFixture server) : IClassFixture<SmallLimitEchoServerFixture>
{
    [Fact]
    public async Task A_ping_without_payload_gets_a_pong_without_payload()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x89,                   // FIN + ping
            0x80,                   // MASK + length 0
            0x11, 0x22, 0x33, 0x44, // mask key
        });

        await ExpectPongAsync(client, []);
    }

    [Fact]
    public async Task A_ping_with_a_small_text_payload_gets_a_pong_with_that_payload()
    {
        await using var client = await server.ConnectAsync();
        var payload = Encoding.UTF8.GetBytes("Hello, world!");

        await client.SendFrameAsync(WebSocketOpcode.Ping, payload);

        await ExpectPongAsync(client, payload);
    }

    [Fact]
    public async Task A_ping_with_a_binary_payload_gets_a_pong_with_that_payload()
    {
        await using var client = await server.ConnectAsync();
        byte[] payload = [0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF, 0xC0, 0x80];

        await client.SendFrameAsync(WebSocketOpcode.Ping, payload);

        await ExpectPongAsync(client, payload);
    }

    [Fact]
    public async Task A_ping_with_the_largest_allowed_payload_of_125_bytes_gets_an_identical_pong()
    {
        await using var client = await server.ConnectAsync();
        var payload = Payloads.Binary(125);

        await client.SendFrameAsync(WebSocketOpcode.Ping, payload);

        await ExpectPongAsync(client, payload);
    }

    [Fact]
    public async Task A_125_byte_ping_sent_byte_by_byte_gets_an_identical_pong()
    {
        await using var client = await server.ConnectAsync();
        var payload = Payloads.Binary(125);

        await client.SendRawBytewiseAsync(RawWebSocketClient.BuildFrame(WebSocketOpcode.Ping, payload));

        await ExpectPongAsync(client, payload);
    }

    [Fact]
    public async Task A_ping_with_126_bytes_fails_the_connection_with_1002()
    {
        await using var client = await server.ConnectAsync();

        // 126 bytes needs the 16-bit length form, which a control frame may not use.
        await client.SendFrameAsync(WebSocketOpcode.Ping, Payloads.Binary(126));

        await ExpectFailureAsync(client, 1002);
    }

    [Fact]
    public async Task A_ping_with_126_bytes_fails_the_connection_even_when_the_client_never_answers_the_close()
    {
        await using var client = await server.ConnectAsync();

        await client.SendFrameAsync(WebSocketOpcode.Ping, Payloads.Binary(126));

        await ExpectFailureAsync(client, 1002, replyWithClose: false);
    }

    [Fact]
    public async Task A_fragmented_ping_fails_the_connection_with_1002()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Ping, "frag"u8, fin: false),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, "ment"u8)));

        await ExpectFailureAsync(client, 1002, replyWithClose: false);
    }

    [Fact]
    public async Task An_unsolicited_pong_without_payload_is_ignored()
    {
        await using var client = await server.ConnectAsync();

        await client.SendFrameAsync(WebSocketOpcode.Pong, Array.Empty<byte>());
        await client.SendTextAsync("still here");

        await ExpectTextEchoAsync(client, "still here");
    }

    [Fact]
    public async Task An_unsolicited_pong_with_payload_is_ignored()
    {
        await using var client = await server.ConnectAsync();

        await client.SendFrameAsync(WebSocketOpcode.Pong, "unsolicited pong payload"u8.ToArray());
        await client.SendTextAsync("still here");

        await ExpectTextEchoAsync(client, "still here");
    }

    [Fact]
    public async Task An_unsolicited_pong_before_a_ping_is_ignored_and_the_ping_answered()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Pong, "unsolicited"u8),
            Frames.Ping("solicited")));

        await ExpectPongAsync(client, "solicited"u8.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ten_pings_in_a_row_get_ten_pongs_in_order(bool oneWriteEach)
    {
        await using var client = await server.ConnectAsync();
        var pings = Enumerable.Range(1, 10).Select(i => Encoding.UTF8.GetBytes($"ping {i}")).ToList();

        if (oneWriteEach)
        {
            foreach (var ping in pings)
            {
                await client.SendFrameAsync(WebSocketOpcode.Ping, ping);
                await Task.Delay(10);
            }
        }
        else
        {
            await client.SendRawAsync(Frames.Concat([.. pings.Select(ping => RawWebSocketClient.BuildFrame(WebSocketOpcode.Ping, ping))]));
        }

        foreach (var ping in pings)
        {
            await ExpectPongAsync(client, ping);
        }
    }
}
