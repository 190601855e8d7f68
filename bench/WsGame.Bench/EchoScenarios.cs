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
        var (elapsed, cpu) = await RunClosedLoopAsync(uri, connections, warmUp, duration, frame, 32, recorders, result, probe);
        var messages = recorders.Sum(r => (long)r.Count);
        result["messages_per_s"] = Math.Round(messages / elapsed.TotalSeconds, 1);
        result["rtt_p50_ms"] = LatencyRecorder.Percentile(recorders, 50);
        result["rtt_p99_ms"] = LatencyRecorder.Percentile(recorders, 99);
        result["rtt_p999_ms"] = LatencyRecorder.Percentile(recorders, 99.9);
        cpu.Report(result);
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
        var (elapsed, cpu) = await RunClosedLoopAsync(uri, connections, warmUp, duration, frame, size, recorders, result, probe);
        var bytes = (double)recorders.Sum(r => r.Count) * size;
        result["megabytes_per_s"] = Math.Round(bytes / elapsed.TotalSeconds / 1e6, 2);
        cpu.Report(result);
    }

    private static async Task<ScenarioResult> RunAsync(Arguments arguments, Func<Uri, ScenarioResult, ServerProbe, Task> run)
    {
        var result = new ScenarioResult();
        await run(arguments.UrlWithPath("/ws/echo"), result, arguments.Probe());
        return result;
    }

    /// <summary>
    /// Every connection sends the frame and waits for one whole message back, through the warm-up
    /// (not recorded) and then the measured duration. An echo of the wrong type or length is a
    /// failure (the payload itself is not compared: that would cost the generator more than the server).
    /// Returns the measured time and the server's CPU over it.
    /// </summary>
    private static async Task<(TimeSpan Elapsed, ServerProbe.CpuMeter Cpu)> RunClosedLoopAsync(Uri uri, int connections, TimeSpan warmUp,
        TimeSpan duration, byte[] frame, int payloadLength, LatencyRecorder[] recorders, ScenarioResult result, ServerProbe probe)
    {
        var clients = new BenchClient[connections];
        for (var i = 0; i < connections; i++)
        {
            clients[i] = await BenchClient.ConnectAsync(uri, CancellationToken.None);
        }
        var sentOpcode = (byte)(frame[0] & 0x0F);
        var wrong = 0;
        using var stop = new CancellationTokenSource(warmUp + duration);
        var measureFrom = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var loops = Task.WhenAll(clients.Select((client, i) => Task.Run(async () =>
        {
            var recorder = recorders[i];
            while (!stop.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                await client.SendAsync(frame, CancellationToken.None);
                var (opcode, payload) = await client.ReceiveMessageAsync(CancellationToken.None);
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
        })));
        // Measure from the end of the warm-up (or from the end of the loops, if one failed early).
        await Task.WhenAny(loops, Task.Delay(warmUp));
        var cpu = probe.StartCpu();
        var started = Stopwatch.StartNew();
        await loops;
        var elapsed = started.Elapsed;
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
        result.FailIfAny(wrong, "echoes of the wrong type or length");
        return (elapsed, cpu);
    }
}
