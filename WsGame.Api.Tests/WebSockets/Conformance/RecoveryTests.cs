using WsGame.Api.Tests.Infrastructure;
using static WsGame.Api.Tests.WebSockets.Conformance.ConformanceAssert;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>
/// A failed or closed connection leaves the server healthy: after each way a connection can end,
/// a fresh connection on the same server still echoes.
/// </summary>
public class RecoveryTests(SmallLimitEchoServerFixture server) : IClassFixture<SmallLimitEchoServerFixture>
{
    /// <summary>How the first connection ends: by its close code, or by the client dropping TCP.</summary>
    private static readonly string[] EndingNames =
    [
        "1000 normal close",
        "1002 reserved bit",
        "1002 reserved opcode",
        "1002 invalid close code",
        "1007 invalid utf-8",
        "1009 frame too big",
        "1009 fragments too big",
        "client drops tcp mid-frame",
        "client drops tcp mid-message",
    ];

    public static TheoryData<string> Endings => new(EndingNames);

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task A_fresh_connection_still_echoes_after_a_connection_ended_by(string ending)
    {
        await EndAConnectionAsync(ending);

        await using var client = await server.ConnectAsync();
        var binary = Payloads.Binary(1000);
        await client.SendTextAsync("alive");
        await client.SendBinaryAsync(binary);
        await client.SendFrameAsync(WebSocketOpcode.Ping, "ping"u8.ToArray());

        await ExpectTextEchoAsync(client, "alive");
        await ExpectEchoAsync(client, WebSocketOpcode.Binary, binary);
        await ExpectPongAsync(client, "ping"u8.ToArray());
    }

    [Fact]
    public async Task A_connection_open_during_others_failing_keeps_echoing()
    {
        await using var survivor = await server.ConnectAsync();
        await survivor.SendTextAsync("before");
        await ExpectTextEchoAsync(survivor, "before");

        await Task.WhenAll(EndingNames.Select(EndAConnectionAsync));

        await survivor.SendTextAsync("after");
        await ExpectTextEchoAsync(survivor, "after");
    }

    private async Task EndAConnectionAsync(string ending)
    {
        await using var client = await server.ConnectAsync();
        switch (ending)
        {
            case "1000 normal close":
                await client.SendCloseAsync(1000);
                await ExpectCloseAsync(client, 1000);
                await ExpectTcpClosedAsync(client);
                break;
            case "1002 reserved bit":
                await client.SendFrameAsync(WebSocketOpcode.Text, "x"u8.ToArray(), rsv: 4);
                await ExpectFailureAsync(client, 1002);
                break;
            case "1002 reserved opcode":
                await client.SendFrameAsync(5, "x"u8.ToArray());
                await ExpectFailureAsync(client, 1002, replyWithClose: false);
                break;
            case "1002 invalid close code":
                await client.SendCloseAsync(1005);
                await ExpectFailureAsync(client, 1002);
                break;
            case "1007 invalid utf-8":
                await client.SendFrameAsync(WebSocketOpcode.Text, new byte[] { 0xC0, 0x80 });
                await ExpectFailureAsync(client, 1007);
                break;
            case "1009 frame too big":
                await client.SendRawAsync(RawWebSocketClient.BuildFrameHeader(WebSocketOpcode.Binary, server.MaxMessageBytes + 1L));
                await ExpectFailureAsync(client, 1009);
                break;
            case "1009 fragments too big":
                await client.SendRawAsync(Frames.Fragmented(WebSocketOpcode.Binary,
                    [Payloads.Binary(server.MaxMessageBytes), [0x01]]));
                await ExpectFailureAsync(client, 1009);
                break;
            case "client drops tcp mid-frame":
                var frame = RawWebSocketClient.BuildFrame(WebSocketOpcode.Binary, Payloads.Binary(500));
                await client.SendRawAsync(frame.AsMemory(0, 100));
                client.Abort();
                break;
            case "client drops tcp mid-message":
                await client.SendFrameAsync(WebSocketOpcode.Text, "unfinished"u8.ToArray(), fin: false);
                client.Abort();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(ending), ending, "Unknown ending.");
        }
    }
}
