using WsGame.Api.Tests.Infrastructure;
using static WsGame.Api.Tests.WebSockets.Conformance.ConformanceAssert;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>
/// Autobahn section 3: no extension is negotiated, so any RSV bit fails the connection with 1002,
/// on data and control frames alike, after the valid messages before it were echoed.
/// </summary>
public class Section3ReservedBitsTests(SmallLimitEchoServerFixture server) : IClassFixture<SmallLimitEchoServerFixture>
{
    /// <summary>Every opcode a frame with RSV bits is tried on, with every non-zero RSV combination (4 = RSV1, 2 = RSV2, 1 = RSV3).</summary>
    public static TheoryData<int, int> OpcodesAndRsv
    {
        get
        {
            var data = new TheoryData<int, int>();
            foreach (var opcode in new[] { WebSocketOpcode.Text, WebSocketOpcode.Binary, WebSocketOpcode.Ping, WebSocketOpcode.Close })
            {
                for (var rsv = 1; rsv <= 7; rsv++)
                {
                    data.Add(opcode, rsv);
                }
            }

            return data;
        }
    }

    public static TheoryData<int> AllRsv => new() { 1, 2, 3, 4, 5, 6, 7 };

    [Theory]
    [MemberData(nameof(OpcodesAndRsv))]
    public async Task A_frame_with_rsv_bits_fails_the_connection_with_1002(int opcode, int rsv)
    {
        await using var client = await server.ConnectAsync();

        await client.SendFrameAsync(opcode, PayloadFor(opcode), rsv: rsv);

        await ExpectFailureAsync(client, 1002);
    }

    [Theory]
    [MemberData(nameof(AllRsv))]
    public async Task A_text_echoed_before_a_frame_with_rsv_bits_comes_first_then_close_1002_and_the_ping_after_is_not_answered(int rsv)
    {
        await using var client = await server.ConnectAsync();

        // One write: a valid text, the bad frame, and a ping that must not be answered.
        await client.SendRawAsync(Frames.Concat(
            Frames.Text("valid before"),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, "bad"u8, rsv: rsv),
            Frames.Ping("after")));

        await ExpectTextEchoAsync(client, "valid before");
        await ExpectFailureAsync(client, 1002);
    }

    [Fact]
    public async Task A_message_echoed_before_a_frame_with_rsv1_sent_separately_comes_first_then_close_1002()
    {
        await using var client = await server.ConnectAsync();

        await client.SendTextAsync("valid before");
        await ExpectTextEchoAsync(client, "valid before");
        await client.SendRawAsync(new byte[]
        {
            0xC1,                   // FIN + RSV1 + text
            0x80,                   // MASK + length 0
            0x01, 0x02, 0x03, 0x04, // mask key
        });

        await ExpectFailureAsync(client, 1002, replyWithClose: false);
    }

    [Fact]
    public async Task A_binary_frame_with_all_rsv_bits_fails_the_connection_without_being_echoed()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0xF2,                   // FIN + RSV1 + RSV2 + RSV3 + binary
            0x83,                   // MASK + length 3
            0x00, 0x00, 0x00, 0x00, // mask key 0
            0x01, 0x02, 0x03,       // payload
        });

        await ExpectFailureAsync(client, 1002);
    }

    private static byte[] PayloadFor(int opcode) => opcode switch
    {
        WebSocketOpcode.Close => RawWebSocketClient.ClosePayload(1000),
        WebSocketOpcode.Binary => [0x00, 0xFF, 0x10],
        _ => "Hello"u8.ToArray(),
    };
}
