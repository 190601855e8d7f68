using System.Diagnostics;
using System.Text;

namespace WsGame.Bench;

/// <summary>
/// Closed-loop echo scenarios: each connection sends one message and waits for its echo. The same
/// connections first run unmeasured for a warm-up (the server's JIT tiers up, its pools fill), so
/// the figures compare steady states rather than start-up costs.
/// </summary>
public static class EchoScenarios
{
    public static Task<ScenarioResult> RoundTripAsync(Arguments arguments) =>
        RunAsync(arguments, async (uri, result, probe) =>
            await RoundTripAsync(uri, arguments.Int("--connections", 1), arguments.Seconds("--seconds", 10), result, probe,
                arguments.Seconds("--warm-up", 2)));

    public static Task<ScenarioResult> BulkAsync(Arguments arguments) =>
        RunAsync(arguments, async (uri, result, probe) =>
            await BulkAsync(uri, arguments.Int("--connections", 4), arguments.Int("--size", 64 * 1024), arguments.Seconds("--seconds", 10), result, probe,
                arguments.Seconds("--warm-up", 2)));

    /// <summary>echo-rtt: C connections, 32-byte text; messages per second and RTT percentiles. Returns the messages echoed.</summary>
    public static async Task<long> RoundTripAsync(Uri uri, int connections, TimeSpan duration, ScenarioResult result, ServerProbe probe,
        TimeSpan warmUp = default)
    {
        var frame = BenchClient.BuildFrame(0x1, Encoding.ASCII.GetBytes(new string('w', 32)));
        var recorders = Enumerable.Range(0, connections).Select(_ => new LatencyRecorder()).ToArray();
        var elapsed = await RunClosedLoopAsync(uri, connections, warmUp, duration, frame, 32, recorders, result, probe);
        var messages = recorders.Sum(r => (long)r.Count);
        result["messages_per_s"] = Math.Round(messages / elapsed.TotalSeconds, 1);
        result["rtt_p50_ms"] = LatencyRecorder.Percentile(recorders, 50);
        result["rtt_p99_ms"] = LatencyRecorder.Percentile(recorders, 99);
        result["rtt_p999_ms"] = LatencyRecorder.Percentile(recorders, 99.9);
        return messages;
    }

    /// <summary>echo-bulk: a few connections, large binary messages; megabytes per second echoed.</summary>
    public static async Task BulkAsync(Uri uri, int connections, int size, TimeSpan duration, ScenarioResult result, ServerProbe probe,
        TimeSpan warmUp = default)
    {
        var payload = new byte[size];
        new Random(6455).NextBytes(payload);
        var frame = BenchClient.BuildFrame(0x2, payload);
        var recorders = Enumerable.Range(0, connections).Select(_ => new LatencyRecorder()).ToArray();
        var elapsed = await RunClosedLoopAsync(uri, connections, warmUp, duration, frame, size, recorders, result, probe);
        var bytes = (double)recorders.Sum(r => r.Count) * size;
        result["megabytes_per_s"] = Math.Round(bytes / elapsed.TotalSeconds / 1e6, 2);
    }

    private static async Task<ScenarioResult> RunAsync(Arguments arguments, Func<Uri, ScenarioResult, ServerProbe, Task> run)
    {
        var result = new ScenarioResult();
        await run(arguments.UrlWithPath("/ws/echo"), result, arguments.Probe());
        return result;
    }

    /// <summary>How long past the planned end an echo may still take before it counts as never answered.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Every connection sends the frame and waits for one whole message back, through the warm-up
    /// (not recorded) and then the measured duration. An echo of the wrong type or length, one not
    /// answered within a grace period after the end, or a connection that fails is a failure (the
    /// payload itself is not compared: that would cost the generator more than the server). Adds the
    /// server's and the generator's CPU over the measured time to <paramref name="result"/> and
    /// returns that time.
    /// </summary>
    private static async Task<TimeSpan> RunClosedLoopAsync(Uri uri, int connections, TimeSpan warmUp,
        TimeSpan duration, byte[] frame, int payloadLength, LatencyRecorder[] recorders, ScenarioResult result, ServerProbe probe)
    {
        var clients = new List<BenchClient>(connections);
        // Everything, connecting included, ends by itself: a server that stops answering fails the run, never hangs it.
        using var deadline = new CancellationTokenSource(warmUp + duration + Grace);
        try
        {
            for (var i = 0; i < connections; i++)
            {
                clients.Add(await BenchClient.ConnectAsync(uri, deadline.Token));
            }
            var sentOpcode = (byte)(frame[0] & 0x0F);
            int wrong = 0, unanswered = 0, broken = 0;
            using var stop = new CancellationTokenSource(warmUp + duration);
            var measureFrom = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
            var loops = Task.WhenAll(clients.Select((client, i) => Task.Run(async () =>
            {
                var recorder = recorders[i];
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var sent = Stopwatch.GetTimestamp();
                        await client.SendAsync(frame, deadline.Token);
                        var (opcode, payload) = await client.ReceiveMessageAsync(deadline.Token);
                        if (opcode != sentOpcode || payload.Length != payloadLength)
                        {
                            Interlocked.Increment(ref wrong);
                            return;
                        }
                        if (sent >= measureFrom)
                        {
                            recorder.Record(sent);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref unanswered);
                }
                catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or InvalidDataException)
                {
                    Interlocked.Increment(ref broken);
                }
            })));
            // The measured time and CPU start where the warm-up ends; if every loop ended before
            // that (all connections failed), there is nothing to measure and the failures say why.
            await Task.WhenAny(loops, Task.Delay(warmUp));
            var cpu = probe.StartCpu();
            await loops;
            cpu.Report(result);
            var elapsed = Stopwatch.GetElapsedTime(Math.Min(measureFrom, Stopwatch.GetTimestamp()));
            result.FailIfAny(wrong, "echoes of the wrong type or length");
            result.FailIfAny(unanswered, "connections whose echo never came");
            result.FailIfAny(broken, "connections that failed while echoing");
            if (recorders.All(recorder => recorder.Count == 0))
            {
                // Every echo took longer than the run (or none came): a figure of 0 would read as a measurement.
                result.Failures.Add("no echo completed within the measured time");
            }
            return elapsed;
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
