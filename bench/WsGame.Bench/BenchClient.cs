using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace WsGame.Bench;

/// <summary>
/// A lean WebSocket client for load: a raw socket, the handshake by hand, frames read into one
/// reusable buffer. Messages to send are masked once up front (the payload does not change), so
/// the generator spends its time on the network, not on framing, and is not the bottleneck.
/// </summary>
public sealed class BenchClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private BenchClient(Socket socket) => _socket = socket;

    public static async Task<BenchClient> ConnectAsync(Uri uri, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(uri.Host, uri.Port, cancellation);
        var client = new BenchClient(socket);
        await client.HandshakeAsync(uri, cancellation);
        return client;
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

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellation) =>
        _socket.SendAsync(frame, SocketFlags.None, cancellation);

    /// <summary>Reads one whole server frame; returns its opcode and payload length (the payload itself is discarded).</summary>
    public async ValueTask<(byte Opcode, int Length)> ReceiveFrameAsync(CancellationToken cancellation)
    {
        await FillAsync(2, cancellation);
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
        var left = length;
        while (left > 0)
        {
            if (_end == _start)
            {
                _start = _end = 0;
                await FillAsync(1, cancellation);
            }
            var take = (int)Math.Min(left, _end - _start);
            _start += take;
            left -= take;
        }
        return (opcode, (int)length);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync(BuildFrame(0x8, [0x03, 0xE8]), CancellationToken.None);
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The server may already be gone; the benchmark is over either way.
        }
        _socket.Dispose();
    }

    private async Task HandshakeAsync(Uri uri, CancellationToken cancellation)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await _socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellation);
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
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation);
            if (read == 0)
            {
                throw new InvalidOperationException("connection closed during the handshake");
            }
            _end += read;
        }
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available from <c>_start</c>.</summary>
    private async ValueTask FillAsync(int count, CancellationToken cancellation)
    {
        while (_end - _start < count)
        {
            if (_buffer.Length - _start < count)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
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
