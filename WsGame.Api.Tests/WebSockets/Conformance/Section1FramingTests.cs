using System.Text;
using WsGame.Api.Tests.Infrastructure;
using static WsGame.Api.Tests.WebSockets.Conformance.ConformanceAssert;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>Autobahn section 1: framing of text and binary messages in every length form, and partial reads.</summary>
public class Section1FramingTests(EchoServerFixture server) : IClassFixture<EchoServerFixture>
{
    /// <summary>0-125 use the 7-bit length, 126-65535 the 16-bit one, 65536 and more the 64-bit one.</summary>
    public static TheoryData<int> Lengths => new() { 0, 125, 126, 127, 128, 65535, 65536 };

    public static TheoryData<int> BytewiseLengths => new() { 0, 1, 125, 126, 127, 128, 300 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public async Task A_text_message_is_echoed_identically(int length)
    {
        await using var client = await server.ConnectAsync();
        var payload = Payloads.Text(length);

        await client.SendFrameAsync(WebSocketOpcode.Text, payload);

        await ExpectEchoAsync(client, WebSocketOpcode.Text, payload);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public async Task A_binary_message_is_echoed_identically(int length)
    {
        await using var client = await server.ConnectAsync();
        var payload = Payloads.Binary(length);

        await client.SendFrameAsync(WebSocketOpcode.Binary, payload);

        await ExpectEchoAsync(client, WebSocketOpcode.Binary, payload);
    }

    [Theory]
    [MemberData(nameof(BytewiseLengths))]
    public async Task A_text_frame_sent_byte_by_byte_is_echoed(int length)
    {
        await using var client = await server.ConnectAsync();
        var payload = Payloads.Text(length);

        await client.SendRawBytewiseAsync(RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, payload));

        await ExpectEchoAsync(client, WebSocketOpcode.Text, payload);
    }

    [Theory]
    [MemberData(nameof(BytewiseLengths))]
    public async Task A_binary_frame_sent_byte_by_byte_is_echoed(int length)
    {
        await using var client = await server.ConnectAsync();
        var payload = Payloads.Binary(length);

        await client.SendRawBytewiseAsync(RawWebSocketClient.BuildFrame(WebSocketOpcode.Binary, payload));

        await ExpectEchoAsync(client, WebSocketOpcode.Binary, payload);
    }

    [Fact]
    public async Task A_frame_sent_byte_by_byte_with_pauses_is_echoed()
    {
        // A pause after every byte makes the server see each one in a read of its own.
        await using var client = await server.ConnectAsync();
        var payload = Payloads.Binary(130); // 16-bit length form

        await client.SendRawBytewiseAsync(RawWebSocketClient.BuildFrame(WebSocketOpcode.Binary, payload), TimeSpan.FromMilliseconds(1));

        await ExpectEchoAsync(client, WebSocketOpcode.Binary, payload);
    }

    [Fact]
    public async Task A_64_bit_length_frame_sent_byte_by_byte_is_echoed()
    {
        await using var client = await server.ConnectAsync();
        var payload = Payloads.Binary(65536);
        var frame = RawWebSocketClient.BuildFrame(WebSocketOpcode.Binary, payload);

        // The 14-byte header (2 + 8 length + 4 mask key) byte by byte, then the payload at once.
        await client.SendRawBytewiseAsync(frame.AsMemory(0, 14), TimeSpan.FromMilliseconds(1));
        await client.SendRawAsync(frame.AsMemory(14));

        await ExpectEchoAsync(client, WebSocketOpcode.Binary, payload);
    }

    [Fact]
    public async Task The_handshake_request_sent_byte_by_byte_is_accepted()
    {
        await using var client = await RawWebSocketClient.ConnectAsync(server.EchoUri, sendRequestBytewise: true);

        Assert.Equal(101, client.HandshakeResponse.StatusCode);
        await client.SendTextAsync("after a slow handshake");
        await ExpectTextEchoAsync(client, "after a slow handshake");
    }

    [Fact]
    public async Task The_handshake_answers_101_with_the_accept_key()
    {
        await using var client = await server.ConnectAsync();

        Assert.Equal(101, client.HandshakeResponse.StatusCode);
        Assert.Equal(RawWebSocketClient.ComputeAccept(client.Key), client.HandshakeResponse.Header("Sec-WebSocket-Accept"));
        Assert.Equal("websocket", client.HandshakeResponse.Header("Upgrade"), ignoreCase: true);
    }

    [Fact]
    public void The_client_computes_the_accept_key_of_the_rfc_example()
    {
        // RFC 6455 section 1.3, so a wrong accept key is the server's fault, not the client's.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", RawWebSocketClient.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public async Task A_plain_http_get_of_the_echo_endpoint_is_not_upgraded()
    {
        var host = $"{server.EchoUri.Host}:{server.EchoUri.Port}";

        var response = await RawWebSocketClient.SendRawHttpRequestAsync(server.EchoUri,
            $"GET {EchoServerFixture.EchoPath} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        Assert.InRange(response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task Several_frames_in_one_write_are_each_echoed_in_order()
    {
        await using var client = await server.ConnectAsync();
        var binary = Payloads.Binary(200);

        await client.SendRawAsync(Frames.Concat(
            Frames.Text("first"),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Binary, binary),
            Frames.Text("third")));

        await ExpectTextEchoAsync(client, "first");
        await ExpectEchoAsync(client, WebSocketOpcode.Binary, binary);
        await ExpectTextEchoAsync(client, "third");
    }

    [Fact]
    public async Task A_frame_masked_with_an_all_zero_key_is_echoed()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x81,                   // FIN + text
            0x85,                   // MASK + length 5
            0x00, 0x00, 0x00, 0x00, // mask key 0 (the payload stays as is)
            0x48, 0x65, 0x6C, 0x6C, 0x6F, // "Hello"
        });

        await ExpectTextEchoAsync(client, "Hello");
    }

    [Fact]
    public async Task The_rfc_example_masked_frame_is_echoed()
    {
        await using var client = await server.ConnectAsync();

        // RFC 6455 section 5.7: a single-frame masked text message containing "Hello".
        await client.SendRawAsync(new byte[]
        {
            0x81,                   // FIN + text
            0x85,                   // MASK + length 5
            0x37, 0xFA, 0x21, 0x3D, // mask key
            0x7F, 0x9F, 0x4D, 0x51, 0x58, // "Hello" masked
        });

        await ExpectTextEchoAsync(client, "Hello");
    }

    [Fact]
    public async Task An_unmasked_client_frame_fails_the_connection_with_1002()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x81,                         // FIN + text
            0x05,                         // no MASK, length 5
            0x48, 0x65, 0x6C, 0x6C, 0x6F, // "Hello"
        });

        await ExpectFailureAsync(client, 1002);
    }
}
