using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WsGame.Api.Game.Session;
using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Tests.WebSockets.Connection;

/// <summary>
/// Over real sockets on a real Kestrel: answers to what a client sent hold back its reading (TCP slows it down),
/// while only what the server pushes on its own counts toward the bound that closes a client with 1008.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class BackpressureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ten_thousand_messages_pipelined_in_one_write_by_a_slow_reader_all_come_back_in_order_with_no_close()
    {
        // A send queue of 4: were replies counted toward it, the echoes would close this client at once.
        await using var server = new WsGameServer(new Dictionary<string, string?> { ["WsGame:WebSockets:SendQueueLimit"] = "4" });
        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        await using var client = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));
        const int count = 10_000;
        // 1 KiB each: 10 MB of echoes, more than the kernel's socket buffers hold, so the server must stop reading.
        var padding = new string('x', 1000);
        var pipelined = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            pipelined.Write(RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, Encoding.UTF8.GetBytes($"{i:D5} {padding}")));
        }

        var writing = client.SendRawAsync(pipelined.ToArray());
        for (var i = 0; i < count; i++)
        {
            var echo = await client.ReceiveMessageAsync(Patience);
            Assert.Equal(WebSocketOpcode.Text, echo.Opcode);
            Assert.Equal($"{i:D5} {padding}", Encoding.UTF8.GetString(echo.Payload));
            if (i % 500 == 0)
            {
                await Task.Delay(20); // a slow reader: it pauses while the server has more to say
            }
        }
        await writing.WaitAsync(Patience);

        Assert.Equal(1, registry.OpenCount);
        Assert.Empty(registry.ClosedByCode);
        await client.SendTextAsync("still open");
        Assert.Equal("still open", Encoding.UTF8.GetString((await client.ReceiveMessageAsync(Patience)).Payload));
    }

    [Fact]
    public async Task A_client_that_floods_echoes_and_reads_none_is_held_back_by_tcp_and_others_are_not_slowed()
    {
        await using var server = new WsGameServer(new Dictionary<string, string?> { ["WsGame:WebSockets:SendQueueLimit"] = "4" });
        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        await using var flooder = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));
        await using var healthy = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));

        // Up to 64 MiB of echo requests and not one echo read: the server stops reading, so the flooder's own
        // writes stall on TCP long before it is through.
        var frame = RawWebSocketClient.BuildFrame(WebSocketOpcode.Binary, new byte[64 * 1024]);
        var sent = 0;
        using var stop = new CancellationTokenSource();
        var flood = Task.Run(async () =>
        {
            try
            {
                for (; sent < 1024 && !stop.IsCancellationRequested; sent++)
                {
                    await flooder.SendRawAsync(frame);
                }
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                // Disposed at the end of the test while still stalled.
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(1));
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await healthy.SendTextAsync($"ping {i}");
            var echo = await healthy.ReceiveMessageAsync(Patience);
            Assert.Equal($"ping {i}", Encoding.UTF8.GetString(echo.Payload));
            slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, Stopwatch.GetElapsedTime(started).Ticks));
        }

        Assert.False(flood.IsCompleted, $"the flooder wrote all {sent} frames: nothing held it back");
        Assert.True(sent < 1024);
        Assert.Equal(2, registry.OpenCount);
        Assert.Empty(registry.ClosedByCode);
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"an echo for the other client took {slowest.TotalMilliseconds:0} ms");
        stop.Cancel();
        flooder.Dispose();
        await flood.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_client_that_sends_nothing_and_reads_nothing_while_the_server_broadcasts_is_closed_with_1008_once_its_queue_is_full()
    {
        await using var server = new WsGameServer(new Dictionary<string, string?>
        {
            ["WsGame:WebSockets:SendQueueLimit"] = "16",
            ["WsGame:WebSockets:SendTimeout"] = "01:00:00", // the bound by count, not by time, is what this test is about
            ["WsGame:WebSockets:CloseTimeout"] = "00:00:01",
        });
        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        var session = server.Services.GetRequiredService<GameSession>();
        var (listener, deaf) = await JoinListenerAndDeafAsync(server);
        await using var _listener = listener;
        await using var _deaf = deaf;

        // Announcements 8 at a time, half the queue, so that the listener, which reads, never comes near the bound.
        var text = new string('a', 180);
        var slowest = TimeSpan.Zero;
        var rounds = 0;
        bool QueueFull() => server.Problems.Events.Any(entry => entry.Message.Contains("send queue full", StringComparison.Ordinal));
        for (; rounds < 20_000 && !QueueFull(); rounds++)
        {
            var started = Stopwatch.GetTimestamp();
            // The listener keeps getting every announcement promptly while the deaf one backs up.
            await AnnounceEightAsync(session, listener, rounds, text);
            slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, Stopwatch.GetElapsedTime(started).Ticks));
        }

        Assert.True(rounds < 20_000, "the deaf client's queue never filled");
        // It never answers the close either: dropped after the close timeout, and counted as closed with 1008.
        for (var wait = 0; wait < 100 && registry.ClosedByCode.GetValueOrDefault(1008) == 0; wait++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(1, registry.ClosedByCode.GetValueOrDefault(1008));
        Assert.Single(server.Problems.Events, entry => entry.Message.Contains("send queue full", StringComparison.Ordinal));
        Assert.Equal(WebSocketState.Open, listener.State);
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"8 announcements took {slowest.TotalMilliseconds:0} ms to reach the listener");
    }

    [Fact]
    public async Task A_joined_client_that_reads_nothing_is_closed_with_1008_after_the_send_timeout_long_before_keep_alive()
    {
        await using var server = new WsGameServer(new Dictionary<string, string?>
        {
            ["WsGame:WebSockets:SendTimeout"] = "00:00:00.500",
            ["WsGame:WebSockets:CloseTimeout"] = "00:00:01",
        });
        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        var session = server.Services.GetRequiredService<GameSession>();
        var (listener, deaf) = await JoinListenerAndDeafAsync(server);
        await using var _listener = listener;
        await using var _deaf = deaf;

        // Steadily, more than the sockets' buffers take, but slower than the send queue (512) fills: only time finds it.
        var text = new string('a', 4000);
        var started = Stopwatch.GetTimestamp();
        var rounds = 0;
        for (; rounds < 20_000 && registry.ClosedByCode.GetValueOrDefault(1008) == 0; rounds++)
        {
            await AnnounceEightAsync(session, listener, rounds, text);
            await Task.Delay(25); // under 320 a second: the send timeout comes long before 512 queue up
        }
        var took = Stopwatch.GetElapsedTime(started);

        Assert.Equal(1, registry.ClosedByCode.GetValueOrDefault(1008));
        Assert.Equal(WebSocketState.Open, listener.State);
        Assert.Contains(server.Problems.Events, entry => entry.Message.Contains("for the client's socket", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Problems.Events, entry => entry.Message.Contains("send queue full", StringComparison.Ordinal));
        Assert.True(took < TimeSpan.FromSeconds(20), $"closed only after {took.TotalSeconds:0.0} s");
    }

    /// <summary>A game client that reads, and a raw one in the same room that joins and then reads nothing at all.</summary>
    private static async Task<(GameTestClient Listener, RawWebSocketClient Deaf)> JoinListenerAndDeafAsync(WsGameServer server)
    {
        var room = $"deaf-{Guid.NewGuid():N}"[..20];
        var (listener, _) = await GameTestClient.JoinAsync(server, "Listener", room);
        var deaf = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws"));
        await deaf.SendTextAsync($$"""{"type":"join","name":"Deaf","room":"{{room}}"}""");
        await listener.ReceiveAsync("status", m => m["message"]!.GetValue<string>() == "Deaf joined the chat.");
        return (listener, deaf);
    }

    /// <summary>
    /// Eight operator announcements (pushed to every member, neither held nor skipped for one behind), then waits
    /// until the listener has read the last of them.
    /// </summary>
    private static async Task AnnounceEightAsync(GameSession session, GameTestClient listener, int round, string text)
    {
        for (var i = 0; i < 8; i++)
        {
            session.Announce($"{round}.{i} {text}");
        }
        await listener.ReceiveAsync("status", m => m["message"]!.GetValue<string>().StartsWith($"[server] {round}.7 "), Patience);
        listener.Received.Clear();
    }
}
