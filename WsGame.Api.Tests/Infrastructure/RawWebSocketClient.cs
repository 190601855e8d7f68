using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace WsGame.Api.Tests.Infrastructure;

/// <summary>The opcodes of RFC 6455 section 5.2, as plain numbers so tests can also send the reserved ones.</summary>
public static class WebSocketOpcode
{
    /// <summary>0x0: continues a fragmented message.</summary>
    public const int Continuation = 0x0;

    /// <summary>0x1: first (or only) frame of a text message.</summary>
    public const int Text = 0x1;

    /// <summary>0x2: first (or only) frame of a binary message.</summary>
    public const int Binary = 0x2;

    /// <summary>0x8: connection close.</summary>
    public const int Close = 0x8;

    /// <summary>0x9: ping.</summary>
    public const int Ping = 0x9;

    /// <summary>0xA: pong.</summary>
    public const int Pong = 0xA;

    /// <summary>A short name for <paramref name="opcode"/>, for messages.</summary>
    public static string Name(int opcode) => opcode switch
    {
        Continuation => "Continuation",
        Text => "Text",
        Binary => "Binary",
        Close => "Close",
        Ping => "Ping",
        Pong => "Pong",
        _ => $"Reserved(0x{opcode:X})",
    };
}

/// <summary>One frame as it came off the wire, already unmasked when it was masked.</summary>
/// <param name="Fin">The FIN bit.</param>
/// <param name="Rsv">The three RSV bits as a number 0-7: 4 = RSV1, 2 = RSV2, 1 = RSV3.</param>
/// <param name="Opcode">The opcode, 0-15.</param>
/// <param name="Masked">Whether the frame carried a mask (a server frame never may).</param>
/// <param name="Payload">The (unmasked) payload.</param>
public sealed record WebSocketFrame(bool Fin, int Rsv, int Opcode, bool Masked, byte[] Payload)
{
    /// <summary>Whether this is a control frame (opcode 8 or above).</summary>
    public bool IsControl => Opcode >= 0x8;

    /// <summary>The payload decoded as UTF-8 (invalid bytes replaced), for messages and text assertions.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload);

    /// <summary>A one-line description: opcode, flags and the start of the payload in hex.</summary>
    public override string ToString()
    {
        var preview = Convert.ToHexString(Payload, 0, Math.Min(Payload.Length, 16));
        var more = Payload.Length > 16 ? "..." : "";
        return $"{WebSocketOpcode.Name(Opcode)} frame (FIN={(Fin ? 1 : 0)}, RSV={Rsv}, masked={Masked}, {Payload.Length} bytes: {preview}{more})";
    }
}

/// <summary>A whole data message reassembled from one or more frames.</summary>
/// <param name="Opcode">The message type: <see cref="WebSocketOpcode.Text"/> or <see cref="WebSocketOpcode.Binary"/>.</param>
/// <param name="Payload">The concatenated payload of all its frames.</param>
/// <param name="Frames">The frames it came in, in order.</param>
public sealed record WebSocketMessage(int Opcode, byte[] Payload, IReadOnlyList<WebSocketFrame> Frames);

/// <summary>A close frame received from the server, decoded.</summary>
/// <param name="Code">The status code, or null when the payload was shorter than 2 bytes.</param>
/// <param name="Reason">The reason decoded as UTF-8 (invalid bytes replaced; see <paramref name="ReasonIsValidUtf8"/>).</param>
/// <param name="ReasonBytes">The raw reason bytes (the payload after the code).</param>
/// <param name="ReasonIsValidUtf8">Whether the reason bytes are well-formed UTF-8.</param>
/// <param name="Frame">The close frame itself.</param>
public sealed record WebSocketCloseFrame(int? Code, string Reason, byte[] ReasonBytes, bool ReasonIsValidUtf8, WebSocketFrame Frame);

/// <summary>An HTTP response read raw off a socket.</summary>
/// <param name="StatusLine">The first line, e.g. <c>HTTP/1.1 101 Switching Protocols</c>.</param>
/// <param name="StatusCode">The status code of the status line.</param>
/// <param name="ReasonPhrase">The reason phrase of the status line (may be empty).</param>
/// <param name="Headers">The header fields by case-insensitive name; repeated fields are joined with ", ".</param>
/// <param name="Body">The body (by Content-Length, chunked, or up to the end of the connection; empty for 1xx, 204 and 304).</param>
/// <param name="RawHead">The status line and header fields exactly as received, up to and including the empty line.</param>
public sealed record RawHttpResponse(
    string StatusLine, int StatusCode, string ReasonPhrase, IReadOnlyDictionary<string, string> Headers, byte[] Body, string RawHead)
{
    /// <summary>The value of header <paramref name="name"/>, or null when the response has none.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>The server did not accept the WebSocket handshake the way RFC 6455 requires.</summary>
public sealed class RawWebSocketHandshakeException(string message, RawHttpResponse response) : Exception(message)
{
    /// <summary>The response the server sent.</summary>
    public RawHttpResponse Response { get; } = response;
}

/// <summary>
/// A deliberately small WebSocket client over a raw TCP socket, for conformance tests: it sends exactly
/// the bytes a test asks for (any opcode, any RSV bits, masked or not, byte by byte) and reports exactly
/// what the server sent back. It does not answer pings or closes by itself. Every receive has a timeout
/// and throws <see cref="TimeoutException"/> with what it was waiting for, so a test never hangs.
/// </summary>
public sealed class RawWebSocketClient : IAsyncDisposable, IDisposable
{
    /// <summary>The GUID RFC 6455 appends to the key to compute <c>Sec-WebSocket-Accept</c>.</summary>
    public const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>How long a receive waits when the caller gives no timeout: generous, as only a failing test waits it out.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(15);

    private const int MaxHeadBytes = 64 * 1024;
    private const long MaxAcceptedPayload = 256L * 1024 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _bufferStart;
    private int _bufferEnd;

    private RawWebSocketClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>The server's handshake response (status line, headers, no body).</summary>
    public RawHttpResponse HandshakeResponse { get; private set; } = null!;

    /// <summary>The <c>Sec-WebSocket-Key</c> this client sent.</summary>
    public string Key { get; private set; } = "";

    /// <summary>
    /// How many bytes <see cref="WaitForServerToCloseTcpAsync"/> read and discarded before the server closed TCP
    /// (0 when the server sent nothing more, which is what a test after a close handshake expects).
    /// </summary>
    public int BytesDiscardedBeforeTcpClose { get; private set; }

    /// <summary>
    /// Opens a TCP connection to <paramref name="uri"/>'s host and port and performs the opening handshake:
    /// writes the upgrade request (with a fresh random key), reads the response head, and checks it is
    /// <c>101</c> with <c>Upgrade: websocket</c>, <c>Connection: Upgrade</c> and the right <c>Sec-WebSocket-Accept</c>.
    /// Any bytes the server sent after the head are kept and read as frames.
    /// </summary>
    /// <param name="uri">The ws:// address (path and query are sent in the request line).</param>
    /// <param name="headers">Header fields to add; one named like a default field replaces it, a null value removes it.</param>
    /// <param name="sendRequestBytewise">Write the request one byte per write (to test the server's partial reads).</param>
    /// <param name="timeout">How long the whole handshake may take; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="RawWebSocketHandshakeException">The response is not a valid acceptance.</exception>
    public static async Task<RawWebSocketClient> ConnectAsync(
        Uri uri, IEnumerable<KeyValuePair<string, string?>>? headers = null, bool sendRequestBytewise = false, TimeSpan? timeout = null)
    {
        var client = await OpenAsync(uri, timeout);
        try
        {
            client.Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = BuildHandshakeRequest(uri, client.Key, headers);
            if (sendRequestBytewise)
            {
                await client.SendRawBytewiseAsync(request, TimeSpan.FromMilliseconds(1));
            }
            else
            {
                await client.SendRawAsync(request);
            }

            using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
            var response = await client.ReadHttpHeadAsync(deadline, timeout ?? DefaultTimeout, "the handshake response");
            client.HandshakeResponse = response;

            if (response.StatusCode != 101)
            {
                throw new RawWebSocketHandshakeException($"Expected 101 Switching Protocols, got '{response.StatusLine}'.", response);
            }

            if (!string.Equals(response.Header("Upgrade"), "websocket", StringComparison.OrdinalIgnoreCase))
            {
                throw new RawWebSocketHandshakeException($"Expected 'Upgrade: websocket', got '{response.Header("Upgrade")}'.", response);
            }

            var connection = response.Header("Connection") ?? "";
            if (!connection.Split(',').Any(token => token.Trim().Equals("Upgrade", StringComparison.OrdinalIgnoreCase)))
            {
                throw new RawWebSocketHandshakeException($"Expected 'Connection: Upgrade', got '{connection}'.", response);
            }

            var expectedAccept = ComputeAccept(client.Key);
            if (response.Header("Sec-WebSocket-Accept") != expectedAccept)
            {
                throw new RawWebSocketHandshakeException(
                    $"Expected 'Sec-WebSocket-Accept: {expectedAccept}', got '{response.Header("Sec-WebSocket-Accept")}'.", response);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> as is on a new TCP connection to <paramref name="uri"/>'s host and port
    /// and reads one HTTP response (head and body). For handshake tests that need malformed or unusual requests.
    /// </summary>
    /// <param name="uri">Where to connect (only host and port are used).</param>
    /// <param name="request">The complete request bytes, including the empty line.</param>
    /// <param name="timeout">How long connecting and reading may take; <see cref="DefaultTimeout"/> when null.</param>
    public static async Task<RawHttpResponse> SendRawHttpRequestAsync(Uri uri, ReadOnlyMemory<byte> request, TimeSpan? timeout = null)
    {
        using var client = await OpenAsync(uri, timeout);
        await client.SendRawAsync(request);
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var head = await client.ReadHttpHeadAsync(deadline, timeout ?? DefaultTimeout, "the HTTP response");
        var body = await client.ReadHttpBodyAsync(head, deadline, timeout ?? DefaultTimeout);
        return head with { Body = body };
    }

    /// <summary>
    /// Sends <paramref name="request"/> (text; each line must end with CRLF, and the head with an empty line)
    /// on a new TCP connection and reads one HTTP response.
    /// </summary>
    public static Task<RawHttpResponse> SendRawHttpRequestAsync(Uri uri, string request, TimeSpan? timeout = null)
        => SendRawHttpRequestAsync(uri, Encoding.ASCII.GetBytes(request), timeout);

    /// <summary>
    /// The bytes of an RFC 6455 upgrade request for <paramref name="uri"/> with <paramref name="key"/>:
    /// Host, Upgrade, Connection, Sec-WebSocket-Key and Sec-WebSocket-Version 13, changed by <paramref name="headers"/>
    /// (a field named like a default one replaces it, a null value removes it, others are added).
    /// </summary>
    public static byte[] BuildHandshakeRequest(Uri uri, string key, IEnumerable<KeyValuePair<string, string?>>? headers = null)
    {
        var fields = new List<KeyValuePair<string, string?>>
        {
            new("Host", uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}"),
            new("Upgrade", "websocket"),
            new("Connection", "Upgrade"),
            new("Sec-WebSocket-Key", key),
            new("Sec-WebSocket-Version", "13"),
        };
        foreach (var header in headers ?? [])
        {
            var index = fields.FindIndex(field => field.Key.Equals(header.Key, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                fields[index] = header;
            }
            else
            {
                fields.Add(header);
            }
        }

        var text = new StringBuilder();
        text.Append("GET ").Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        foreach (var field in fields.Where(field => field.Value is not null))
        {
            text.Append(field.Key).Append(": ").Append(field.Value).Append("\r\n");
        }

        text.Append("\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value a server must answer to <paramref name="key"/>.</summary>
    public static string ComputeAccept(string key)
        => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    /// <summary>
    /// The header of a frame announcing <paramref name="payloadLength"/> payload bytes, in the shortest length
    /// form (7-bit up to 125, 16-bit up to 65535, 64-bit beyond), followed by the mask key when masked.
    /// Useful to announce a length without sending the payload.
    /// </summary>
    /// <param name="opcode">The opcode, 0-15 (reserved ones included).</param>
    /// <param name="payloadLength">The announced payload length.</param>
    /// <param name="fin">The FIN bit.</param>
    /// <param name="rsv">The RSV bits as a number 0-7: 4 = RSV1, 2 = RSV2, 1 = RSV3.</param>
    /// <param name="mask">Whether to set the MASK bit and append a mask key.</param>
    /// <param name="maskKey">The 4-byte mask key; random when null.</param>
    public static byte[] BuildFrameHeader(int opcode, long payloadLength, bool fin = true, int rsv = 0, bool mask = true, byte[]? maskKey = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        if (opcode is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(opcode), opcode, "An opcode has 4 bits.");
        }

        if (rsv is < 0 or > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(rsv), rsv, "There are 3 RSV bits.");
        }

        if (maskKey is not null && maskKey.Length != 4)
        {
            throw new ArgumentException("A mask key has 4 bytes.", nameof(maskKey));
        }

        var lengthBytes = payloadLength <= 125 ? 0 : payloadLength <= ushort.MaxValue ? 2 : 8;
        var header = new byte[2 + lengthBytes + (mask ? 4 : 0)];
        header[0] = (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        var maskBit = mask ? 0x80 : 0;
        switch (lengthBytes)
        {
            case 0:
                header[1] = (byte)(maskBit | (int)payloadLength);
                break;
            case 2:
                header[1] = (byte)(maskBit | 126);
                BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)payloadLength);
                break;
            default:
                header[1] = (byte)(maskBit | 127);
                BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)payloadLength);
                break;
        }

        if (mask)
        {
            (maskKey ?? RandomNumberGenerator.GetBytes(4)).CopyTo(header, 2 + lengthBytes);
        }

        return header;
    }

    /// <summary>
    /// A complete frame: header (shortest length form) and payload, masked with <paramref name="maskKey"/>
    /// (random when null) unless <paramref name="mask"/> is false.
    /// </summary>
    /// <param name="opcode">The opcode, 0-15 (reserved ones included).</param>
    /// <param name="payload">The payload before masking.</param>
    /// <param name="fin">The FIN bit.</param>
    /// <param name="rsv">The RSV bits as a number 0-7: 4 = RSV1, 2 = RSV2, 1 = RSV3.</param>
    /// <param name="mask">Whether to mask (clients must).</param>
    /// <param name="maskKey">The 4-byte mask key; random when null.</param>
    public static byte[] BuildFrame(int opcode, ReadOnlySpan<byte> payload, bool fin = true, int rsv = 0, bool mask = true, byte[]? maskKey = null)
    {
        var key = mask ? maskKey ?? RandomNumberGenerator.GetBytes(4) : null;
        var header = BuildFrameHeader(opcode, payload.Length, fin, rsv, mask, key);
        var frame = new byte[header.Length + payload.Length];
        header.CopyTo(frame, 0);
        payload.CopyTo(frame.AsSpan(header.Length));
        if (key is not null)
        {
            var body = frame.AsSpan(header.Length);
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= key[i & 3];
            }
        }

        return frame;
    }

    /// <summary>The payload of a close frame: the code (big-endian) followed by the reason bytes; empty when code is null.</summary>
    public static byte[] ClosePayload(int? code, ReadOnlySpan<byte> reason = default)
    {
        if (code is null)
        {
            return reason.ToArray();
        }

        var payload = new byte[2 + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code.Value);
        reason.CopyTo(payload.AsSpan(2));
        return payload;
    }

    /// <summary>Writes <paramref name="bytes"/> to the connection in one write.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> one byte per write, flushing after each (Nagle is off), so the server
    /// sees its input in as many pieces as the network allows.
    /// </summary>
    /// <param name="bytes">What to send.</param>
    /// <param name="delayBetweenBytes">An optional pause after each byte, to make sure each one arrives on its own.</param>
    public async Task SendRawBytewiseAsync(ReadOnlyMemory<byte> bytes, TimeSpan? delayBetweenBytes = null)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            await _stream.WriteAsync(bytes.Slice(i, 1));
            await _stream.FlushAsync();
            if (delayBetweenBytes is { } delay)
            {
                await Task.Delay(delay);
            }
        }
    }

    /// <summary>Builds a frame with <see cref="BuildFrame"/> and sends it in one write.</summary>
    public Task SendFrameAsync(int opcode, ReadOnlyMemory<byte> payload, bool fin = true, int rsv = 0, bool mask = true, byte[]? maskKey = null)
        => SendRawAsync(BuildFrame(opcode, payload.Span, fin, rsv, mask, maskKey));

    /// <summary>Sends <paramref name="text"/> as one masked text frame.</summary>
    public Task SendTextAsync(string text) => SendFrameAsync(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>Sends <paramref name="payload"/> as one masked binary frame.</summary>
    public Task SendBinaryAsync(ReadOnlyMemory<byte> payload) => SendFrameAsync(WebSocketOpcode.Binary, payload);

    /// <summary>Sends a masked close frame with <paramref name="code"/> (none when null) and <paramref name="reason"/>.</summary>
    public Task SendCloseAsync(int? code, string reason = "")
        => SendFrameAsync(WebSocketOpcode.Close, ClosePayload(code, Encoding.UTF8.GetBytes(reason)));

    /// <summary>
    /// Reads the next frame, in any length form, unmasking it when it is masked.
    /// </summary>
    /// <param name="timeout">How long to wait for the whole frame; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">No complete frame arrived in time.</exception>
    /// <exception cref="EndOfStreamException">The server closed TCP before a complete frame arrived.</exception>
    public async Task<WebSocketFrame> ReceiveFrameAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await ReceiveFrameAsync(deadline, timeout ?? DefaultTimeout);
    }

    /// <summary>
    /// Reads frames up to the end of one data message (text or binary, possibly fragmented) and returns it whole.
    /// Throws when a control frame or an out-of-order frame comes instead, naming it.
    /// </summary>
    /// <param name="timeout">How long to wait for the whole message; <see cref="DefaultTimeout"/> when null.</param>
    public async Task<WebSocketMessage> ReceiveMessageAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var deadline = new CancellationTokenSource(limit);
        var frames = new List<WebSocketFrame>();
        var payload = new MemoryStream();
        while (true)
        {
            var frame = await ReceiveFrameAsync(deadline, limit);
            var expected = frames.Count == 0 ? "a text or binary frame" : "a continuation frame";
            var fits = frames.Count == 0
                ? frame.Opcode is WebSocketOpcode.Text or WebSocketOpcode.Binary
                : frame.Opcode == WebSocketOpcode.Continuation;
            if (!fits)
            {
                throw new InvalidOperationException($"Expected {expected} of a message but received {frame}.");
            }

            frames.Add(frame);
            payload.Write(frame.Payload);
            if (frame.Fin)
            {
                return new WebSocketMessage(frames[0].Opcode, payload.ToArray(), frames);
            }
        }
    }

    /// <summary>
    /// Reads the next frame and requires it to be a close frame; decodes its code and reason.
    /// Throws, naming the frame, when something else comes first.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when null.</param>
    public async Task<WebSocketCloseFrame> ReceiveCloseAsync(TimeSpan? timeout = null)
    {
        var frame = await ReceiveFrameAsync(timeout);
        if (frame.Opcode != WebSocketOpcode.Close)
        {
            throw new InvalidOperationException($"Expected a Close frame but received {frame}.");
        }

        return DecodeClose(frame);
    }

    /// <summary>Decodes the code and reason of a close frame.</summary>
    public static WebSocketCloseFrame DecodeClose(WebSocketFrame frame)
    {
        if (frame.Payload.Length < 2)
        {
            return new WebSocketCloseFrame(null, "", frame.Payload, frame.Payload.Length == 0, frame);
        }

        var code = BinaryPrimitives.ReadUInt16BigEndian(frame.Payload);
        var reasonBytes = frame.Payload[2..];
        try
        {
            return new WebSocketCloseFrame(code, StrictUtf8.GetString(reasonBytes), reasonBytes, true, frame);
        }
        catch (DecoderFallbackException)
        {
            return new WebSocketCloseFrame(code, Encoding.UTF8.GetString(reasonBytes), reasonBytes, false, frame);
        }
    }

    /// <summary>
    /// Waits for the server to close TCP: reads (and discards, counting in <see cref="BytesDiscardedBeforeTcpClose"/>)
    /// until a read returns 0 or the connection is reset.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when null.</param>
    /// <returns>True when the server closed (or reset) TCP within the timeout; false when it was still open.</returns>
    public async Task<bool> WaitForServerToCloseTcpAsync(TimeSpan? timeout = null)
    {
        BytesDiscardedBeforeTcpClose = _bufferEnd - _bufferStart;
        _bufferStart = _bufferEnd = 0;
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var scratch = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(scratch, deadline.Token);
                if (read == 0)
                {
                    return true;
                }

                BytesDiscardedBeforeTcpClose += read;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            return true;
        }
    }

    /// <summary>Closes TCP abruptly (RST, no close frame), as a crashing client would.</summary>
    public void Abort()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Close();
    }

    /// <summary>Closes the TCP connection (no close frame is sent).</summary>
    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }

    /// <summary>Closes the TCP connection (no close frame is sent).</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<RawWebSocketClient> OpenAsync(Uri uri, TimeSpan? timeout)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
            await tcp.ConnectAsync(uri.Host, uri.Port, deadline.Token);
            return new RawWebSocketClient(tcp);
        }
        catch (OperationCanceledException)
        {
            tcp.Dispose();
            throw new TimeoutException($"Could not connect to {uri.Host}:{uri.Port} within {timeout ?? DefaultTimeout}.");
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private async Task<WebSocketFrame> ReceiveFrameAsync(CancellationTokenSource deadline, TimeSpan limit)
    {
        const string What = "a frame from the server";
        await FillAsync(2, deadline, limit, What);
        var first = _buffer[_bufferStart];
        var second = _buffer[_bufferStart + 1];
        var length7 = second & 0x7F;
        var masked = (second & 0x80) != 0;
        var lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        var headerLength = 2 + lengthBytes + (masked ? 4 : 0);
        await FillAsync(headerLength, deadline, limit, What);

        var header = _buffer.AsSpan(_bufferStart, headerLength);
        long length = lengthBytes switch
        {
            0 => length7,
            2 => BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            _ => (long)BinaryPrimitives.ReadUInt64BigEndian(header[2..]),
        };
        if (length is < 0 or > MaxAcceptedPayload)
        {
            throw new InvalidDataException($"The server announced a frame of {(ulong)length} bytes (header {Convert.ToHexString(header)}).");
        }

        var maskKey = masked ? header.Slice(2 + lengthBytes, 4).ToArray() : null;
        _bufferStart += headerLength;

        var payload = new byte[length];
        var fromBuffer = (int)Math.Min(length, _bufferEnd - _bufferStart);
        _buffer.AsSpan(_bufferStart, fromBuffer).CopyTo(payload);
        _bufferStart += fromBuffer;
        var filled = fromBuffer;
        while (filled < payload.Length)
        {
            var read = await ReadAsync(payload.AsMemory(filled), deadline, limit,
                $"the payload of a {WebSocketOpcode.Name(first & 0x0F)} frame ({filled} of {length} bytes received)");
            filled += read;
        }

        if (maskKey is not null)
        {
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] ^= maskKey[i & 3];
            }
        }

        return new WebSocketFrame((first & 0x80) != 0, (first >> 4) & 0x7, first & 0x0F, masked, payload);
    }

    private async Task<RawHttpResponse> ReadHttpHeadAsync(CancellationTokenSource deadline, TimeSpan limit, string what)
    {
        int end;
        while ((end = IndexOfHeadEnd()) < 0)
        {
            if (_bufferEnd - _bufferStart >= MaxHeadBytes)
            {
                throw new InvalidDataException($"No end of the HTTP head within {MaxHeadBytes} bytes while reading {what}.");
            }

            await FillAsync(_bufferEnd - _bufferStart + 1, deadline, limit, what);
        }

        var rawHead = Encoding.ASCII.GetString(_buffer, _bufferStart, end - _bufferStart);
        _bufferStart = end;

        var lines = rawHead.Split("\r\n");
        var statusLine = lines[0];
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], out var status))
        {
            throw new InvalidDataException($"Not an HTTP status line: '{statusLine}'.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(line => line.Length > 0))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new InvalidDataException($"Not an HTTP header field: '{line}'.");
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var earlier) ? $"{earlier}, {value}" : value;
        }

        return new RawHttpResponse(statusLine, status, parts.Length > 2 ? parts[2] : "", headers, [], rawHead);
    }

    private int IndexOfHeadEnd()
    {
        var index = _buffer.AsSpan(_bufferStart, _bufferEnd - _bufferStart).IndexOf("\r\n\r\n"u8);
        return index < 0 ? -1 : _bufferStart + index + 4;
    }

    private async Task<byte[]> ReadHttpBodyAsync(RawHttpResponse head, CancellationTokenSource deadline, TimeSpan limit)
    {
        const string What = "the HTTP response body";
        if (head.StatusCode is >= 100 and < 200 or 204 or 304)
        {
            return [];
        }

        if (head.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            var body = new MemoryStream();
            while (true)
            {
                var lineEnd = await ReadLineEndAsync(deadline, limit, What);
                var sizeText = Encoding.ASCII.GetString(_buffer, _bufferStart, lineEnd - _bufferStart).Split(';')[0].Trim();
                _bufferStart = lineEnd + 2;
                var size = Convert.ToInt32(sizeText, 16);
                if (size == 0)
                {
                    // Trailer fields (none expected) up to the empty line.
                    while (true)
                    {
                        var trailerEnd = await ReadLineEndAsync(deadline, limit, What);
                        var empty = trailerEnd == _bufferStart;
                        _bufferStart = trailerEnd + 2;
                        if (empty)
                        {
                            return body.ToArray();
                        }
                    }
                }

                await FillAsync(size + 2, deadline, limit, What);
                body.Write(_buffer, _bufferStart, size);
                _bufferStart += size + 2;
            }
        }

        if (head.Header("Content-Length") is { } lengthText && int.TryParse(lengthText, out var length))
        {
            await FillAsync(length, deadline, limit, What);
            var body = _buffer.AsSpan(_bufferStart, length).ToArray();
            _bufferStart += length;
            return body;
        }

        // No length: the body runs to the end of the connection.
        var rest = new MemoryStream();
        rest.Write(_buffer, _bufferStart, _bufferEnd - _bufferStart);
        _bufferStart = _bufferEnd = 0;
        var scratch = new byte[16 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(scratch, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"The server neither ended {What} nor closed the connection within {limit}.");
            }

            if (read == 0)
            {
                return rest.ToArray();
            }

            rest.Write(scratch, 0, read);
        }
    }

    private async Task<int> ReadLineEndAsync(CancellationTokenSource deadline, TimeSpan limit, string what)
    {
        while (true)
        {
            var index = _buffer.AsSpan(_bufferStart, _bufferEnd - _bufferStart).IndexOf("\r\n"u8);
            if (index >= 0)
            {
                return _bufferStart + index;
            }

            await FillAsync(_bufferEnd - _bufferStart + 1, deadline, limit, what);
        }
    }

    /// <summary>Reads until at least <paramref name="count"/> unconsumed bytes are in the buffer.</summary>
    private async Task FillAsync(int count, CancellationTokenSource deadline, TimeSpan limit, string what)
    {
        if (_bufferEnd - _bufferStart >= count)
        {
            return;
        }

        if (_buffer.Length - _bufferStart < count)
        {
            var bigger = _buffer.Length >= count ? _buffer : new byte[Math.Max(count, _buffer.Length * 2)];
            Buffer.BlockCopy(_buffer, _bufferStart, bigger, 0, _bufferEnd - _bufferStart);
            _bufferEnd -= _bufferStart;
            _bufferStart = 0;
            _buffer = bigger;
        }

        while (_bufferEnd - _bufferStart < count)
        {
            var had = _bufferEnd - _bufferStart;
            _bufferEnd += await ReadAsync(_buffer.AsMemory(_bufferEnd), deadline, limit, $"{what} ({had} of {count} bytes received)");
        }
    }

    /// <summary>One read of at least one byte; throws on timeout or when the server closed TCP.</summary>
    private async Task<int> ReadAsync(Memory<byte> destination, CancellationTokenSource deadline, TimeSpan limit, string what)
    {
        int read;
        try
        {
            read = await _stream.ReadAsync(destination, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.###} s waiting for {what}.");
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            throw new EndOfStreamException($"The connection failed ({exception.Message}) while waiting for {what}.", exception);
        }

        if (read == 0)
        {
            throw new EndOfStreamException($"The server closed the TCP connection while the client was waiting for {what}.");
        }

        return read;
    }
}
