using WsGame.Api.Tests.Infrastructure;
using static WsGame.Api.Tests.WebSockets.Conformance.ConformanceAssert;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>Autobahn section 4: reserved opcodes (non-control 3-7, control 11-15) fail the connection with 1002.</summary>
public class Section4OpcodesTests(SmallLimitEchoServerFixture server) : IClassFixture<SmallLimitEchoServerFixture>
{
    public static TheoryData<int> ReservedOpcodes => new() { 3, 4, 5, 6, 7, 11, 12, 13, 14, 15 };

    [Theory]
    [MemberData(nameof(ReservedOpcodes))]
    public async Task A_reserved_opcode_without_payload_fails_the_connection_with_1002(int opcode)
    {
        await using var client = await server.ConnectAsync();

        await client.SendFrameAsync(opcode, Array.Empty<byte>());

        await ExpectFailureAsync(client, 1002);
    }

    [Theory]
    [MemberData(nameof(ReservedOpcodes))]
    public async Task A_reserved_opcode_with_payload_fails_the_connection_with_1002(int opcode)
    {
        await using var client = await server.ConnectAsync();

        await client.SendFrameAsync(opcode, "reserved opcode payload"u8.ToArray());

        await ExpectFailureAsync(client, 1002);
    }

    [Theory]
    [MemberData(nameof(ReservedOpcodes))]
    public async Task A_text_before_a_reserved_opcode_is_echoed_then_close_1002_and_the_ping_after_is_not_answered(int opcode)
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            Frames.Text("valid before"),
            RawWebSocketClient.BuildFrame(opcode, "x"u8),
            Frames.Ping("after")));

        await ExpectTextEchoAsync(client, "valid before");
        await ExpectFailureAsync(client, 1002);
    }

    [Fact]
    public async Task Reserved_opcode_3_as_bytes_fails_the_connection_without_a_close_reply()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x83,                   // FIN + opcode 3 (reserved non-control)
            0x80,                   // MASK + length 0
            0x0A, 0x0B, 0x0C, 0x0D, // mask key
        });

        await ExpectFailureAsync(client, 1002, replyWithClose: false);
    }

    [Fact]
    public async Task Reserved_opcode_11_as_bytes_fails_the_connection_with_1002()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x8B,                   // FIN + opcode 11 (reserved control)
            0x80,                   // MASK + length 0
            0x0A, 0x0B, 0x0C, 0x0D, // mask key
        });

        await ExpectFailureAsync(client, 1002);
    }
}
