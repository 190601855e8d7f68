using System.Text;
using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.WebSockets.Connection;

/// <summary>A client that reads nothing is found by time (WsGame:WebSockets:SendTimeout), not only once its queue is full.</summary>
public sealed class SendTimeoutTests
{
    private sealed class SilentHandler : IWebSocketHandler
    {
        public ValueTask OnMessageAsync(WebSocketConnection connection, MessageType type, ReadOnlyMemory<byte> payload) => ValueTask.CompletedTask;
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_client_that_reads_nothing_is_closed_with_1008_once_a_write_waited_the_send_timeout_for_its_socket()
    {
        // A queue far from full (1,000) and a socket buffer that holds one message: what queues just waits.
        var client = new InMemoryConnection(new SilentHandler(), sendQueueLimit: 1000, clientBufferBytes: 64, sendTimeout: Timeout);
        var running = client.RunAsync();
        for (var i = 0; i < 20; i++)
        {
            Assert.True(client.Connection.TrySend(MessageType.Text, Encoding.UTF8.GetBytes($"broadcast {i} to a client that does not read")));
        }

        client.Connection.OnTick(TimeProvider.System.GetTimestamp());
        var early = client.Connection.State;
        await Task.Delay(Timeout + TimeSpan.FromMilliseconds(100));
        client.Connection.OnTick(TimeProvider.System.GetTimestamp());
        // Reading now: what was already being written arrives, then the close (what still queued was dropped).
        var frames = new List<(Opcode Opcode, string Text)>();
        for (var attempt = 0; attempt < 20 && !frames.Any(frame => frame.Opcode == Opcode.Close); attempt++)
        {
            frames.AddRange(await client.ReadAvailableAsync(TimeSpan.FromMilliseconds(200)));
        }

        Assert.Equal(ConnectionState.Open, early);
        var close = Assert.Single(frames, frame => frame.Opcode == Opcode.Close);
        Assert.Contains("send timeout", close.Text);
        // The client never answers the close: the close timeout (1 s here), checked at the ticks, ends the connection.
        for (var tick = 0; tick < 50 && !running.IsCompleted; tick++)
        {
            await Task.Delay(100);
            client.Connection.OnTick(TimeProvider.System.GetTimestamp());
        }
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CloseCode.PolicyViolation, client.Connection.Summary!.Code);
    }

    [Fact]
    public async Task A_client_that_reads_is_not_closed_however_long_the_connection_lives()
    {
        var client = new InMemoryConnection(new SilentHandler(), sendQueueLimit: 1000, clientBufferBytes: 64, sendTimeout: Timeout);
        _ = client.RunAsync();
        var read = 0;
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.True(client.Connection.TrySend(MessageType.Text, Encoding.UTF8.GetBytes($"update {round}.{i}")));
            }
            client.Connection.OnTick(TimeProvider.System.GetTimestamp());
            read += (await client.ReadAvailableAsync(TimeSpan.FromSeconds(2))).Count(frame => frame.Opcode == Opcode.Text);
            await Task.Delay(Timeout / 2);
            client.Connection.OnTick(TimeProvider.System.GetTimestamp());
        }

        Assert.Equal(20, read);
        Assert.Equal(ConnectionState.Open, client.Connection.State);
    }

    [Fact]
    public async Task A_client_that_reads_a_backlog_for_longer_than_the_send_timeout_is_not_closed()
    {
        // Traffic for a whole second, three send timeouts, each write waiting on the reader (its buffer holds a
        // few messages): only a frame that waited the timeout counts, not how long the connection has been busy.
        var client = new InMemoryConnection(new SilentHandler(), sendQueueLimit: 100_000, clientBufferBytes: 256, sendTimeout: Timeout);
        _ = client.RunAsync();
        var sent = 0;
        var sending = Task.Run(async () =>
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            while (DateTime.UtcNow < until)
            {
                for (var i = 0; i < 20; i++)
                {
                    Assert.True(client.Connection.TrySend(MessageType.Text, Encoding.UTF8.GetBytes($"update {sent++}")));
                }
                client.Connection.OnTick(TimeProvider.System.GetTimestamp());
                await Task.Delay(10);
            }
        });
        var read = 0;
        while (!sending.IsCompleted || read < sent)
        {
            read += (await client.ReadAvailableAsync(TimeSpan.FromMilliseconds(50))).Count(frame => frame.Opcode == Opcode.Text);
            client.Connection.OnTick(TimeProvider.System.GetTimestamp());
            if (client.Connection.State != ConnectionState.Open)
            {
                break;
            }
        }
        await sending;

        Assert.Equal(ConnectionState.Open, client.Connection.State);
        Assert.Equal(sent, read);
    }
}
