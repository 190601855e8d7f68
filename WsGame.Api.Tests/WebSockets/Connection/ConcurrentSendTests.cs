using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.WebSockets.Connection;

/// <summary>
/// Many threads sending on one connection at once: every frame must come out whole (one writer),
/// and each sender's messages in the order it sent them. In memory, over a pair of pipes.
/// </summary>
public sealed class ConcurrentSendTests
{
    private sealed class SilentHandler : IWebSocketHandler
    {
        public ValueTask OnMessageAsync(WebSocketConnection connection, MessageType type, ReadOnlyMemory<byte> payload) => ValueTask.CompletedTask;
    }

    /// <summary>The server's end of an in-memory connection: reads what the client writes and vice versa.</summary>
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

    [Fact]
    public async Task Concurrent_senders_never_interleave_frames_and_each_keeps_its_order()
    {
        const int senders = 8;
        const int perSender = 500;
        var toServer = new Pipe();
        var toClient = new Pipe();
        var settings = new ConnectionSettings(1 << 20, senders * perSender + 10, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));
        var connection = new WebSocketConnection(
            1, new ConnectionInfo("test", "/test", null, null),
            new DuplexStream(toServer.Reader.AsStream(), toClient.Writer.AsStream()),
            settings, new SilentHandler(), NullLogger.Instance, TimeProvider.System, () => { });
        var running = connection.RunAsync();

        var received = ReadTextFramesAsync(toClient.Reader, senders * perSender);
        await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(() =>
        {
            for (var i = 0; i < perSender; i++)
            {
                // Varied sizes so frames of all three length forms race each other.
                var text = $"{sender}:{i}:" + new string('x', (i * 37 + sender * 101) % 70_000);
                Assert.True(connection.TrySend(MessageType.Text, Encoding.UTF8.GetBytes(text)));
            }
        })));

        var messages = await received.WaitAsync(TimeSpan.FromSeconds(30));
        for (var sender = 0; sender < senders; sender++)
        {
            var mine = messages.Select(m => m.Split(':')).Where(p => p[0] == sender.ToString()).Select(p => int.Parse(p[1])).ToList();
            Assert.Equal(Enumerable.Range(0, perSender), mine);
        }

        await toServer.Writer.WriteAsync(RawWebSocketClient.BuildFrame(WebSocketOpcode.Close, RawWebSocketClient.ClosePayload(1000)));
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CloseCode.NormalClosure, connection.Summary?.Code);
    }

    /// <summary>Parses unmasked server frames; any malformed or interleaved frame fails the parse.</summary>
    private static async Task<List<string>> ReadTextFramesAsync(PipeReader reader, int count)
    {
        var messages = new List<string>();
        while (messages.Count < count)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            while (TryTakeFrame(ref buffer, out var opcode, out var payload))
            {
                Assert.Equal(Opcode.Text, opcode);
                messages.Add(payload);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            Assert.False(result.IsCompleted, "the server closed before every message arrived");
        }
        return messages;
    }

    private static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out Opcode opcode, out string payload)
    {
        opcode = default;
        payload = "";
        if (!FrameHeader.TryRead(buffer, out var header, out var headerLength) || buffer.Length < headerLength + header.PayloadLength)
        {
            return false;
        }
        Assert.True(header.Fin);
        Assert.False(header.Masked);
        Assert.Equal(0, header.ReservedBits);
        opcode = header.Opcode;
        payload = Encoding.UTF8.GetString(buffer.Slice(headerLength, header.PayloadLength).ToArray());
        buffer = buffer.Slice(headerLength + header.PayloadLength);
        return true;
    }
}
