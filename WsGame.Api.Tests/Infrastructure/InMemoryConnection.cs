using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.Infrastructure;

/// <summary>
/// A real <see cref="WebSocketConnection"/> over a pair of in-memory pipes instead of a socket, so a
/// test can hold back the client's reading (a slow client) or race many senders deterministically.
/// </summary>
public sealed class InMemoryConnection
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient;

    public InMemoryConnection(IWebSocketHandler handler, int sendQueueLimit = 512, long clientBufferBytes = 64 * 1024, long id = 1, TimeSpan sendTimeout = default)
    {
        // The client's receive buffer: once this much is unread, the server's writes wait, as on a full socket.
        _toClient = new Pipe(new PipeOptions(pauseWriterThreshold: clientBufferBytes, resumeWriterThreshold: clientBufferBytes / 2));
        var settings = new ConnectionSettings(1 << 20, sendQueueLimit, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), sendTimeout);
        Connection = new WebSocketConnection(
            id, new ConnectionInfo("in-memory", "/test", null, null),
            new DuplexStream(_toServer.Reader.AsStream(), _toClient.Writer.AsStream()),
            settings, handler, NullLogger.Instance, TimeProvider.System, () => { });
    }

    public WebSocketConnection Connection { get; }

    /// <summary>Starts the connection's loops; completes when it has closed.</summary>
    public Task RunAsync() => Connection.RunAsync();

    /// <summary>Sends a masked client frame to the server.</summary>
    public async Task SendAsync(byte[] frame) => await _toServer.Writer.WriteAsync(frame);

    /// <summary>Reads every whole server frame available now (waiting up to <paramref name="wait"/> for the first), as (opcode, text).</summary>
    public async Task<List<(Opcode Opcode, string Text)>> ReadAvailableAsync(TimeSpan wait)
    {
        var frames = new List<(Opcode, string)>();
        while (true)
        {
            // The first frame may take up to `wait`; after that, only what follows within 50 ms.
            using var cts = new CancellationTokenSource(frames.Count == 0 ? wait : TimeSpan.FromMilliseconds(50));
            ReadResult result;
            try
            {
                result = await _toClient.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                return frames;
            }
            var buffer = result.Buffer;
            while (FrameHeader.TryRead(buffer, out var header, out var headerLength) && buffer.Length >= headerLength + header.PayloadLength)
            {
                frames.Add((header.Opcode, Encoding.UTF8.GetString(buffer.Slice(headerLength, header.PayloadLength).ToArray())));
                buffer = buffer.Slice(headerLength + header.PayloadLength);
            }
            _toClient.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return frames;
            }
        }
    }

    /// <summary>The server's end: reads what the client writes and writes what the client reads.</summary>
    private sealed class DuplexStream(Stream input, Stream output) : Stream
    {
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => input.ReadAsync(buffer, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => output.WriteAsync(buffer, cancellationToken);
        public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);
        public override void Flush() => output.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
