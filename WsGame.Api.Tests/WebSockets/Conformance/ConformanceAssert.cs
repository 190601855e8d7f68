using System.Net.Sockets;
using System.Text;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>The expectations every conformance test shares: echoes, pongs, and how a failed connection must end.</summary>
internal static class ConformanceAssert
{
    /// <summary>
    /// How long the server may take to close TCP once it sent its close frame: its close timeout is 1 s, the rest is
    /// room for a CI machine that stalls. Only a failing test waits this long.
    /// </summary>
    public static readonly TimeSpan TcpCloseWithin = TimeSpan.FromSeconds(15);

    /// <summary>A server frame is never masked and never has RSV bits.</summary>
    public static void IsWellFormedServerFrame(WebSocketFrame frame)
    {
        Assert.False(frame.Masked, $"The server masked {frame}.");
        Assert.True(frame.Rsv == 0, $"The server set RSV bits on {frame}.");
    }

    /// <summary>The next message from the server is <paramref name="payload"/> as one message of type <paramref name="opcode"/>.</summary>
    public static async Task ExpectEchoAsync(RawWebSocketClient client, int opcode, byte[] payload, TimeSpan? timeout = null)
    {
        var message = await client.ReceiveMessageAsync(timeout);
        foreach (var frame in message.Frames)
        {
            IsWellFormedServerFrame(frame);
        }

        Assert.Equal(WebSocketOpcode.Name(opcode), WebSocketOpcode.Name(message.Opcode));
        SamePayload(payload, message.Payload);
    }

    /// <summary>The next message from the server is the text <paramref name="text"/>.</summary>
    public static Task ExpectTextEchoAsync(RawWebSocketClient client, string text)
        => ExpectEchoAsync(client, WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>The next frame from the server is a Pong (FIN set) carrying exactly <paramref name="payload"/>.</summary>
    public static async Task ExpectPongAsync(RawWebSocketClient client, byte[] payload)
    {
        var frame = await client.ReceiveFrameAsync();
        Assert.True(frame.Opcode == WebSocketOpcode.Pong, $"Expected a Pong but received {frame}.");
        Assert.True(frame.Fin, $"The server fragmented a control frame: {frame}.");
        IsWellFormedServerFrame(frame);
        SamePayload(payload, frame.Payload);
    }

    /// <summary>
    /// The server fails the connection with <paramref name="expectedCode"/>: the next frame is a Close with that
    /// code and a valid reason, then the server closes TCP. When <paramref name="replyWithClose"/> is true the
    /// client answers with its own Close first (completing the handshake); otherwise the server must close TCP
    /// on its own after its close timeout.
    /// </summary>
    public static async Task<WebSocketCloseFrame> ExpectFailureAsync(RawWebSocketClient client, int expectedCode, bool replyWithClose = true)
    {
        var close = await ExpectCloseAsync(client, expectedCode);
        if (replyWithClose)
        {
            try
            {
                await client.SendCloseAsync(expectedCode);
            }
            catch (Exception exception) when (exception is IOException or SocketException)
            {
                // The server may already have closed TCP; that ends the connection just as well.
            }
        }

        await ExpectTcpClosedAsync(client);
        return close;
    }

    /// <summary>
    /// The next frame from the server is a Close with <paramref name="expectedCode"/> (null: an empty close),
    /// unmasked, FIN set, no RSV bits, with a valid UTF-8 reason of at most 123 bytes.
    /// </summary>
    public static async Task<WebSocketCloseFrame> ExpectCloseAsync(RawWebSocketClient client, int? expectedCode)
    {
        var frame = await client.ReceiveFrameAsync();
        Assert.True(frame.Opcode == WebSocketOpcode.Close, $"Expected a Close frame with code {expectedCode?.ToString() ?? "(none)"} but received {frame}.");
        return IsValidClose(frame, expectedCode);
    }

    /// <summary>Checks a received close frame as <see cref="ExpectCloseAsync"/> does.</summary>
    public static WebSocketCloseFrame IsValidClose(WebSocketFrame frame, int? expectedCode)
    {
        Assert.True(frame.Fin, $"The server fragmented a control frame: {frame}.");
        IsWellFormedServerFrame(frame);
        Assert.True(frame.Payload.Length != 1, $"The server sent a close payload of 1 byte: {frame}.");
        var close = RawWebSocketClient.DecodeClose(frame);
        Assert.Equal(expectedCode, close.Code);
        Assert.True(close.ReasonIsValidUtf8, $"The close reason is not valid UTF-8: {Convert.ToHexString(close.ReasonBytes)}.");
        Assert.True(close.ReasonBytes.Length <= 123, $"The close reason has {close.ReasonBytes.Length} bytes; at most 123 fit.");
        return close;
    }

    /// <summary>The server closes TCP within <see cref="TcpCloseWithin"/> and sends nothing more before it does.</summary>
    public static async Task ExpectTcpClosedAsync(RawWebSocketClient client)
    {
        Assert.True(await client.WaitForServerToCloseTcpAsync(TcpCloseWithin),
            $"The server did not close TCP within {TcpCloseWithin.TotalSeconds} s.");
        Assert.True(client.BytesDiscardedBeforeTcpClose == 0,
            $"The server sent {client.BytesDiscardedBeforeTcpClose} more bytes after its close frame.");
    }

    /// <summary>Compares payloads without printing megabytes on failure.</summary>
    public static void SamePayload(byte[] expected, byte[] actual)
    {
        Assert.True(expected.Length == actual.Length, $"Expected a payload of {expected.Length} bytes but got {actual.Length}.");
        var mismatch = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(mismatch == expected.Length,
            $"The payload differs from byte {mismatch} on: expected {Convert.ToHexString(expected, mismatch, Math.Min(8, expected.Length - mismatch))}, "
            + $"got {Convert.ToHexString(actual, mismatch, Math.Min(8, actual.Length - mismatch))}.");
    }
}

/// <summary>Building blocks for frame sequences.</summary>
internal static class Frames
{
    /// <summary>The byte arrays one after the other.</summary>
    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();

    /// <summary>A masked text frame of <paramref name="text"/>.</summary>
    public static byte[] Text(string text, bool fin = true)
        => RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text), fin);

    /// <summary>A masked ping frame of <paramref name="text"/>.</summary>
    public static byte[] Ping(string text = "")
        => RawWebSocketClient.BuildFrame(WebSocketOpcode.Ping, Encoding.UTF8.GetBytes(text));

    /// <summary>A masked close frame with <paramref name="code"/> (none when null) and <paramref name="reason"/> bytes.</summary>
    public static byte[] Close(int? code, byte[]? reason = null)
        => RawWebSocketClient.BuildFrame(WebSocketOpcode.Close, RawWebSocketClient.ClosePayload(code, reason));

    /// <summary>
    /// One message of <paramref name="opcode"/> as a frame per piece: the first with the opcode, the others
    /// continuation frames, FIN on the last only.
    /// </summary>
    public static byte[] Fragmented(int opcode, IReadOnlyList<byte[]> pieces)
    {
        var frames = new List<byte[]>();
        for (var i = 0; i < pieces.Count; i++)
        {
            frames.Add(RawWebSocketClient.BuildFrame(
                i == 0 ? opcode : WebSocketOpcode.Continuation, pieces[i], fin: i == pieces.Count - 1));
        }

        return Concat([.. frames]);
    }
}
