using System.Text;
using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.WebSockets.Connection;

/// <summary>
/// Many threads sending on one connection at once: every frame must come out whole (one writer),
/// and each sender's messages in the order it sent them.
/// </summary>
public sealed class ConcurrentSendTests
{
    private sealed class SilentHandler : IWebSocketHandler
    {
        public ValueTask OnMessageAsync(WebSocketConnection connection, MessageType type, ReadOnlyMemory<byte> payload) => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Concurrent_senders_never_interleave_frames_and_each_keeps_its_order()
    {
        const int senders = 8;
        const int perSender = 500;
        var client = new InMemoryConnection(new SilentHandler(), sendQueueLimit: senders * perSender + 10, clientBufferBytes: 1 << 30);
        var running = client.RunAsync();

        await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(() =>
        {
            for (var i = 0; i < perSender; i++)
            {
                // Varied sizes so frames of all three length forms race each other.
                var text = $"{sender}:{i}:" + new string('x', (i * 37 + sender * 101) % 70_000);
                Assert.True(client.Connection.TrySend(MessageType.Text, Encoding.UTF8.GetBytes(text)));
            }
        })));
        var frames = new List<(Opcode Opcode, string Text)>();
        while (frames.Count < senders * perSender)
        {
            var more = await client.ReadAvailableAsync(TimeSpan.FromSeconds(10));
            Assert.NotEmpty(more);
            frames.AddRange(more);
        }

        Assert.All(frames, frame => Assert.Equal(Opcode.Text, frame.Opcode));
        for (var sender = 0; sender < senders; sender++)
        {
            var mine = frames.Select(f => f.Text.Split(':')).Where(p => p[0] == sender.ToString()).Select(p => int.Parse(p[1])).ToList();
            Assert.Equal(Enumerable.Range(0, perSender), mine);
        }

        await client.SendAsync(RawWebSocketClient.BuildFrame(WebSocketOpcode.Close, RawWebSocketClient.ClosePayload(1000)));
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CloseCode.NormalClosure, client.Connection.Summary?.Code);
    }
}
