using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace WsGame.Bench;

/// <summary>
/// A lean WebSocket client for load: a raw socket, the handshake by hand, frames read into one
/// reusable buffer. Messages to send are masked once up front (the payload does not change), so
/// the generator spends its time on the network, not on framing, and is not the bottleneck.
/// </summary>
/// <remarks>
/// One task receives at a time; any number may send (a lock keeps frames whole, since a receive
/// loop answers pings while another task sends). A payload returned by a receive method is only
/// valid until the next receive call: the buffer is reused.
/// </remarks>
public sealed class BenchClient : IAsyncDisposable
{
    private const byte ContinuationOpcode = 0x0;
    private const byte TextOpcode = 0x1;
    private const byte CloseOpcode = 0x8;
    private const byte PingOpcode = 0x9;
    private const byte PongOpcode = 0xA;

    private readonly Socket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private byte[] _buffer;
    private int _start;
    private int _end;
    private ArrayBufferWriter<byte>? _fragments;

    private BenchClient(Socket socket, int bufferSize)
    {
        _socket = socket;
        _buffer = new byte[bufferSize];
    }

    /// <summary>Opens a connection and completes the handshake.</summary>
    /// <param name="localAddress">Source address to bind (another 127.x address when one runs out of ports); null lets the kernel pick.</param>
    /// <param name="bufferSize">Initial receive buffer; it grows to hold the largest frame. Small for many idle clients.</param>
    public static async Task<BenchClient> ConnectAsync(Uri uri, CancellationToken cancellation, IPAddress? localAddress = null, int bufferSize = 64 * 1024)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }
            await socket.ConnectAsync(IPAddress.Parse(uri.Host), uri.Port, cancellation);
            var client = new BenchClient(socket, bufferSize);
            await client.HandshakeAsync(uri, cancellation);
            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A whole masked client frame (FIN set) carrying <paramref name="payload"/>, ready to send again and again.</summary>
    public static byte[] BuildFrame(byte opcode, ReadOnlySpan<byte> payload)
    {
        var lengthBytes = payload.Length <= 125 ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8;
        var frame = new byte[2 + lengthBytes + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        if (lengthBytes == 0)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (lengthBytes == 2)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }
        var mask = frame.AsSpan(2 + lengthBytes, 4);
        RandomNumberGenerator.Fill(mask);
        var body = frame.AsSpan(6 + lengthBytes);
        for (var i = 0; i < payload.Length; i++)
        {
            body[i] = (byte)(payload[i] ^ mask[i & 3]);
        }
        return frame;
    }

    /// <summary>A masked text frame of <paramref name="text"/> (UTF-8).</summary>
    public static byte[] TextFrame(string text) => BuildFrame(0x1, Encoding.UTF8.GetBytes(text));

    /// <summary>Sends a whole frame; frames from concurrent senders never interleave.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellation)
    {
        await _sendLock.WaitAsync(cancellation);
        try
        {
            while (!frame.IsEmpty)
            {
                var sent = await _socket.SendAsync(frame, SocketFlags.None, cancellation);
                frame = frame[sent..];
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Reads the next whole message (fragments joined), answering pings and skipping pongs on the way.
    /// Returns the opcode (1 text, 2 binary, 8 close) and the payload, valid until the next receive.
    /// </summary>
    public async ValueTask<(byte Opcode, ReadOnlyMemory<byte> Payload)> ReceiveMessageAsync(CancellationToken cancellation)
    {
        byte messageOpcode = 0;
        while (true)
        {
            var (fin, opcode, length) = await ReadHeaderAsync(cancellation);
            if (length > int.MaxValue / 2)
            {
                throw new InvalidDataException($"frame of {length} bytes is beyond what the benchmark reads");
            }
            await FillAsync((int)length, cancellation);
            var payload = _buffer.AsMemory(_start, (int)length);
            _start += (int)length;
            switch (opcode)
            {
                case PingOpcode:
                    // A server may ping idle clients; a client that never answers gets closed, which is not what we measure.
                    await SendAsync(BuildFrame(PongOpcode, payload.Span), cancellation);
                    continue;
                case PongOpcode:
                    continue;
                case CloseOpcode:
                    return (opcode, payload);
            }
            if (opcode != ContinuationOpcode && fin)
            {
                return (opcode, payload);
            }
            // A fragmented message (WsGame sends each numbered message as its own "{"seq":N," and a shared
            // body): gather its frames; the first one carries the opcode. The whole stays valid until the
            // next receive, like a single frame's payload, so nothing is allocated per message.
            _fragments ??= new ArrayBufferWriter<byte>();
            if (opcode != ContinuationOpcode)
            {
                _fragments.ResetWrittenCount();
                messageOpcode = opcode;
            }
            _fragments.Write(payload.Span);
            if (fin)
            {
                return (messageOpcode, _fragments.WrittenMemory);
            }
        }
    }

    /// <summary>
    /// Reads until the connection ends, by the server's close frame or a broken socket (ours closed by
    /// <see cref="DisposeAsync"/> included), handing each text message to <paramref name="onText"/>.
    /// </summary>
    public async Task ReadTextUntilClosedAsync(Action<ReadOnlyMemory<byte>> onText)
    {
        try
        {
            while (true)
            {
                var (opcode, payload) = await ReceiveMessageAsync(CancellationToken.None);
                if (opcode == CloseOpcode)
                {
                    return;
                }
                if (opcode == TextOpcode)
                {
                    onText(payload);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            // Closed under the reader; the caller tells whether that was expected.
        }
    }

    /// <summary>
    /// Closes <paramref name="clients"/> the way RFC 6455 7.1.1 asks of a client: each sends its close frame and ends
    /// its side of TCP (a few hundred at a time rather than ten thousand close handshakes at once), their
    /// <paramref name="readLoops"/> get up to 10 s to read the server's close, and only then are the sockets let go.
    /// A socket closed at once, with the server's broadcasts still unread, answers them with a reset: the server then
    /// may fail the connection before it reads the close frame, and hold the seat of a player who left.
    /// </summary>
    public static async Task CloseAllAsync(IEnumerable<BenchClient> clients, IEnumerable<Task> readLoops)
    {
        var all = clients.ToArray();
        foreach (var chunk in all.Chunk(256))
        {
            await Task.WhenAll(chunk.Select(client => client.SendCloseAsync(SocketShutdown.Send)));
        }
        await Task.WhenAll(readLoops).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (var client in all)
        {
            client.Release();
        }
    }

    /// <summary>
    /// Sends a close frame (1000) and shuts <paramref name="how"/> down: our side only (<see cref="SocketShutdown.Send"/>),
    /// the receive side left open for the server's close, or both.
    /// </summary>
    private async Task SendCloseAsync(SocketShutdown how)
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await SendAsync(BuildFrame(CloseOpcode, [0x03, 0xE8]), quick.Token);
            _socket.Shutdown(how);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server may already be gone; the benchmark is over either way.
        }
    }

    /// <summary>
    /// Drops the connection the way a pulled cable or a killed process does: no close frame, and a TCP reset
    /// (SO_LINGER 0) instead of an orderly FIN, so the server sees a broken connection, not a goodbye. A receive
    /// loop on this client ends; <see cref="DisposeAsync"/> afterwards is harmless.
    /// </summary>
    public void Abort()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already broken or closed: dropping it is all that is left to do.
        }
        _socket.Dispose();
    }

    /// <summary>Sends a close frame (1000) and shuts the socket down without waiting for the server's close.</summary>
    public async ValueTask DisposeAsync()
    {
        await SendCloseAsync(SocketShutdown.Both);
        Release();
    }

    private void Release()
    {
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task HandshakeAsync(Uri uri, CancellationToken cancellation)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await SendAsync(Encoding.ASCII.GetBytes(request), cancellation);
        while (true)
        {
            var headerEnd = _buffer.AsSpan(0, _end).IndexOf("\r\n\r\n"u8);
            if (headerEnd >= 0)
            {
                var head = Encoding.ASCII.GetString(_buffer, 0, headerEnd);
                if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"handshake refused: {head.Split('\r')[0]}");
                }
                _start = headerEnd + 4;
                return;
            }
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation);
            if (read == 0)
            {
                throw new InvalidOperationException("connection closed during the handshake");
            }
            _end += read;
        }
    }

    /// <summary>Reads and consumes a frame header: FIN, opcode, payload length (server frames are unmasked).</summary>
    private async ValueTask<(bool Fin, byte Opcode, long Length)> ReadHeaderAsync(CancellationToken cancellation)
    {
        await FillAsync(2, cancellation);
        var fin = (_buffer[_start] & 0x80) != 0;
        var opcode = (byte)(_buffer[_start] & 0x0F);
        var length7 = _buffer[_start + 1] & 0x7F;
        var header = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
        await FillAsync(header, cancellation);
        long length = length7 switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2)),
            127 => (long)BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(_start + 2)),
            _ => length7,
        };
        _start += header;
        return (fin, opcode, length);
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available from <c>_start</c>, growing the buffer if needed.</summary>
    private async ValueTask FillAsync(int count, CancellationToken cancellation)
    {
        while (_end - _start < count)
        {
            if (_buffer.Length - _start < count)
            {
                var target = _buffer.Length >= count ? _buffer : new byte[Math.Max(count, _buffer.Length * 2)];
                Buffer.BlockCopy(_buffer, _start, target, 0, _end - _start);
                _buffer = target;
                _end -= _start;
                _start = 0;
            }
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation);
            if (read == 0)
            {
                throw new IOException("the server closed the connection");
            }
            _end += read;
        }
    }
}
