using System.Text;
using WsGame.Api.Tests.Infrastructure;
using static WsGame.Api.Tests.WebSockets.Conformance.ConformanceAssert;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>
/// Autobahn section 7: the close handshake. A valid close is answered with the same code and TCP is closed;
/// invalid close payloads fail the connection; nothing after the client's close is answered.
/// </summary>
public class Section7CloseTests(SmallLimitEchoServerFixture server) : IClassFixture<SmallLimitEchoServerFixture>
{
    public static TheoryData<int> ValidCodes => new() { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999 };

    /// <summary>Codes a client may not send: unassigned, reserved for local use only, or out of range.</summary>
    public static TheoryData<int> InvalidCodes => new() { 0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535 };

    /// <summary>Registered after RFC 6455 (Service Restart, Try Again Later, Bad Gateway): either echoed or refused.</summary>
    public static TheoryData<int> NewerRegistryCodes => new() { 1012, 1013, 1014 };

    [Fact]
    public async Task A_close_with_1000_is_answered_with_1000_and_the_server_closes_tcp()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x88,                   // FIN + close
            0x82,                   // MASK + length 2
            0x00, 0x00, 0x00, 0x00, // mask key 0
            0x03, 0xE8,             // code 1000
        });

        await ExpectCloseAsync(client, 1000);
        await ExpectTcpClosedAsync(client);
    }

    [Fact]
    public async Task An_empty_close_is_answered_with_an_empty_close_or_1000()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x88,                   // FIN + close
            0x80,                   // MASK + length 0
            0x5A, 0x5A, 0x5A, 0x5A, // mask key
        });

        var frame = await client.ReceiveFrameAsync();
        Assert.True(frame.Opcode == WebSocketOpcode.Close, $"Expected a Close but received {frame}.");
        var code = RawWebSocketClient.DecodeClose(frame).Code;
        Assert.True(code is null or 1000, $"An empty close must be answered empty or with 1000, not {code}.");
        IsValidClose(frame, code);
        await ExpectTcpClosedAsync(client);
    }

    [Fact]
    public async Task A_close_with_a_1_byte_payload_fails_the_connection_with_1002()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x88,                   // FIN + close
            0x81,                   // MASK + length 1
            0x00, 0x00, 0x00, 0x00, // mask key 0
            0x03,                   // half a status code
        });

        await ExpectFailureAsync(client, 1002);
    }

    [Theory]
    [MemberData(nameof(ValidCodes))]
    public async Task A_close_with_a_valid_code_is_answered_with_the_same_code(int code)
    {
        await using var client = await server.ConnectAsync();

        await client.SendCloseAsync(code, "bye");

        await ExpectCloseAsync(client, code);
        await ExpectTcpClosedAsync(client);
    }

    [Theory]
    [MemberData(nameof(InvalidCodes))]
    public async Task A_close_with_an_invalid_code_fails_the_connection_with_1002(int code)
    {
        await using var client = await server.ConnectAsync();

        await client.SendCloseAsync(code);

        await ExpectFailureAsync(client, 1002);
    }

    [Theory]
    [MemberData(nameof(NewerRegistryCodes))]
    public async Task A_close_with_a_code_from_the_newer_registry_is_echoed_or_refused_with_1002(int code)
    {
        await using var client = await server.ConnectAsync();

        await client.SendCloseAsync(code);

        var frame = await client.ReceiveFrameAsync();
        Assert.True(frame.Opcode == WebSocketOpcode.Close, $"Expected a Close but received {frame}.");
        var received = RawWebSocketClient.DecodeClose(frame).Code;
        Assert.True(received == code || received == 1002, $"Expected close {code} or 1002, got {received}.");
        IsValidClose(frame, received);
        await ExpectTcpClosedAsync(client);
    }

    [Fact]
    public async Task A_close_reason_with_invalid_utf8_fails_the_connection_with_1007()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x88,                   // FIN + close
            0x8A,                   // MASK + length 10
            0x00, 0x00, 0x00, 0x00, // mask key 0
            0x03, 0xE8,             // code 1000
            0xCE, 0xBA, 0xE1, 0xBD, 0xB9, // "κό"
            0xED, 0xA0, 0x80,       // a surrogate: invalid UTF-8
        });

        await ExpectFailureAsync(client, 1007);
    }

    [Fact]
    public async Task A_close_with_a_valid_123_byte_reason_is_answered_with_the_same_code()
    {
        await using var client = await server.ConnectAsync();
        var reason = Payloads.Text(123);

        await client.SendFrameAsync(WebSocketOpcode.Close, RawWebSocketClient.ClosePayload(1000, reason));

        await ExpectCloseAsync(client, 1000);
        await ExpectTcpClosedAsync(client);
    }

    [Fact]
    public async Task A_close_with_a_124_byte_reason_is_a_control_frame_too_long_and_fails_with_1002()
    {
        await using var client = await server.ConnectAsync();

        // 2 + 124 = 126 bytes: more than a control frame may carry.
        await client.SendFrameAsync(WebSocketOpcode.Close, RawWebSocketClient.ClosePayload(1000, Payloads.Text(124)));

        await ExpectFailureAsync(client, 1002);
    }

    [Fact]
    public async Task A_close_with_a_multibyte_utf8_reason_is_answered_with_the_same_code()
    {
        await using var client = await server.ConnectAsync();

        await client.SendCloseAsync(1001, "Auf Wiedersehen 😀 κόσμε");

        await ExpectCloseAsync(client, 1001);
        await ExpectTcpClosedAsync(client);
    }

    [Fact]
    public async Task Data_and_pings_after_the_close_are_ignored()
    {
        await using var client = await server.ConnectAsync();

        // One write: close, then a text and a ping the server must not answer.
        await client.SendRawAsync(Frames.Concat(
            Frames.Close(1000),
            Frames.Text("after close"),
            Frames.Ping("after close")));

        await ExpectCloseAsync(client, 1000);
        await ExpectTcpClosedAsync(client);
    }

    [Fact]
    public async Task Data_sent_after_the_close_in_a_separate_write_is_ignored()
    {
        await using var client = await server.ConnectAsync();

        await client.SendCloseAsync(1000);
        try
        {
            await client.SendTextAsync("after close");
        }
        catch (IOException)
        {
            // The server may already have closed TCP.
        }

        await ExpectCloseAsync(client, 1000);
        await ExpectTcpClosedAsync(client);
    }

    [Fact]
    public async Task A_second_close_after_the_first_is_not_answered()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(Frames.Close(1000), Frames.Close(1001)));

        await ExpectCloseAsync(client, 1000);
        await ExpectTcpClosedAsync(client);
    }

    [Fact]
    public async Task A_message_before_the_close_is_echoed_then_the_close_answered()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(Frames.Text("last words"), Frames.Close(1000)));

        await ExpectTextEchoAsync(client, "last words");
        await ExpectCloseAsync(client, 1000);
        await ExpectTcpClosedAsync(client);
    }

    [Fact]
    public async Task A_close_between_fragments_closes_and_the_unfinished_message_is_not_echoed()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            Frames.Text("unfinished", fin: false),
            Frames.Close(1000),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, "message"u8)));

        await ExpectCloseAsync(client, 1000);
        await ExpectTcpClosedAsync(client);
    }

    [Fact]
    public async Task The_server_closes_tcp_after_the_close_handshake()
    {
        await using var client = await server.ConnectAsync();
        await client.SendTextAsync("hello");
        await ExpectTextEchoAsync(client, "hello");

        await client.SendCloseAsync(1000, Encoding.UTF8.GetString(Payloads.Text(20)));

        await ExpectCloseAsync(client, 1000);
        Assert.True(await client.WaitForServerToCloseTcpAsync(TcpCloseWithin), "The server kept TCP open after the close handshake.");
    }
}
