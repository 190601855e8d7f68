using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WsGame.Api.Hosting;
using Serilog.Core;
using Serilog.Events;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.WebSockets.Connection;

/// <summary>
/// With Kestrel's inline scheduling on, connection code runs on the few I/O threads that serve every socket:
/// anything that blocks there stalls all of them. Measured by another client's echo time while the log sink,
/// a client and a room each do their worst.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class InlineSchedulingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A log sink that takes nothing until released: the worst a sink can do.</summary>
    private sealed class StalledSink : ILogEventSink
    {
        private readonly ManualResetEventSlim _released = new();
        private int _events;

        /// <summary>How many events came and were held.</summary>
        public int Events => Volatile.Read(ref _events);

        public void Release() => _released.Set();

        public void Emit(LogEvent logEvent)
        {
            Interlocked.Increment(ref _events);
            _released.Wait(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task A_stalled_log_sink_a_client_that_reads_nothing_and_a_chat_flood_do_not_stall_another_clients_echo()
    {
        // This server's log sink takes nothing (the process's console is untouched).
        var sink = new StalledSink();
        await using var server = new WsGameServer(new Dictionary<string, string?>
        {
            ["WsGame:WebSockets:InlineScheduling"] = "true",
            ["WsGame:WebSockets:CloseTimeout"] = "00:00:01",
            ["WsGame:Game:RoomCapacity"] = "3",
        }, services => services.AddSingleton(new LogOutput(sink)));
        await using var healthy = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));
        using var stop = new CancellationTokenSource();
        var troubles = new List<Task>();
        try
        {
            // The log sink: every broken frame is a warning, and the sink takes none of them.
            troubles.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await using var rude = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));
                    // A pause first, so that the server's read loop is waiting for bytes, and the broken frame
                    // (and its warning) is handled where the socket's completion runs: on an I/O thread.
                    await Task.Delay(20);
                    await rude.SendFrameAsync(WebSocketOpcode.Text, "unmasked"u8.ToArray(), mask: false);
                    await Task.Delay(5);
                }
            }));
            // A client that floods echoes and reads none of them.
            var flooder = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));
            var frame = RawWebSocketClient.BuildFrame(WebSocketOpcode.Binary, new byte[64 * 1024]);
            troubles.Add(Task.Run(async () =>
            {
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        await flooder.SendRawAsync(frame);
                    }
                }
                catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
                {
                    // Disposed while stalled on TCP, at the end.
                }
            }));
            // A busy room: one member floods chat, two read it.
            var room = $"busy-{Guid.NewGuid():N}"[..20];
            var (talker, _) = await GameTestClient.JoinAsync(server, "Talker", room);
            var (reader, _) = await GameTestClient.JoinAsync(server, "Reader", room);
            troubles.Add(Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    await talker.SendAsync(new { type = "chat", message = $"flood {i}" });
                    if (i % 200 == 0)
                    {
                        await reader.ReceiveAsync("chat", m => m["message"]!.GetValue<string>() == $"flood {i}", Patience);
                        reader.Received.Clear();
                    }
                }
            }));

            await Task.Delay(TimeSpan.FromSeconds(1));
            var slowest = TimeSpan.Zero;
            for (var i = 0; i < 200; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await healthy.SendTextAsync($"echo {i}");
                Assert.Equal($"echo {i}", Encoding.UTF8.GetString((await healthy.ReceiveMessageAsync(Patience)).Payload));
                slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, Stopwatch.GetElapsedTime(started).Ticks));
            }

            Assert.True(sink.Events > 0, "the log sink was never reached: the test stalled nothing");
            Assert.All(troubles, trouble => Assert.False(trouble.IsFaulted, trouble.Exception?.ToString()));
            Assert.True(slowest < TimeSpan.FromSeconds(1), $"an echo took {slowest.TotalMilliseconds:0} ms");
            // Every trouble ends by itself once stopped (the flooder's stalled write by its socket's disposal),
            // and only then are the game clients disposed, so that none is read from after it is gone.
            stop.Cancel();
            flooder.Dispose();
            await Task.WhenAll(troubles).WaitAsync(Patience);
            await talker.DisposeAsync();
            await reader.DisposeAsync();
        }
        finally
        {
            stop.Cancel();
            sink.Release();
        }
    }
}
