using System.Diagnostics;
using System.Text;

namespace WsGame.Bench;

/// <summary>Closed-loop echo scenarios: each connection sends one message and waits for its echo.</summary>
public static class EchoScenarios
{
    /// <summary>echo-rtt: C connections, 32-byte text; messages per second and RTT percentiles.</summary>
    public static async Task<Dictionary<string, double>> RoundTripAsync(Uri uri, int connections, TimeSpan duration)
    {
        var frame = BenchClient.BuildFrame(0x1, Encoding.ASCII.GetBytes(new string('w', 32)));
        var recorders = Enumerable.Range(0, connections).Select(_ => new LatencyRecorder()).ToArray();
        var elapsed = await RunClosedLoopAsync(uri, connections, duration, frame, recorders);
        var messages = recorders.Sum(r => r.Count);
        return new()
        {
            ["messages_per_s"] = messages / elapsed.TotalSeconds,
            ["rtt_p50_ms"] = LatencyRecorder.Percentile(recorders, 50),
            ["rtt_p99_ms"] = LatencyRecorder.Percentile(recorders, 99),
            ["rtt_p999_ms"] = LatencyRecorder.Percentile(recorders, 99.9),
        };
    }

    /// <summary>echo-bulk: a few connections, large binary messages; megabytes per second echoed.</summary>
    public static async Task<Dictionary<string, double>> BulkAsync(Uri uri, int connections, int size, TimeSpan duration)
    {
        var payload = new byte[size];
        new Random(6455).NextBytes(payload);
        var frame = BenchClient.BuildFrame(0x2, payload);
        var recorders = Enumerable.Range(0, connections).Select(_ => new LatencyRecorder()).ToArray();
        var elapsed = await RunClosedLoopAsync(uri, connections, duration, frame, recorders);
        var bytes = (double)recorders.Sum(r => r.Count) * size;
        return new() { ["megabytes_per_s"] = bytes / elapsed.TotalSeconds / 1e6 };
    }

    private static async Task<TimeSpan> RunClosedLoopAsync(Uri uri, int connections, TimeSpan duration, byte[] frame, LatencyRecorder[] recorders)
    {
        var clients = new BenchClient[connections];
        for (var i = 0; i < connections; i++)
        {
            clients[i] = await BenchClient.ConnectAsync(uri, CancellationToken.None);
        }
        using var stop = new CancellationTokenSource(duration);
        var started = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, i) => Task.Run(async () =>
        {
            var recorder = recorders[i];
            while (!stop.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                await client.SendAsync(frame, CancellationToken.None);
                var (opcode, _) = await client.ReceiveFrameAsync(CancellationToken.None);
                if (opcode is not (0x1 or 0x2))
                {
                    throw new InvalidOperationException($"expected an echo, got opcode {opcode}");
                }
                recorder.Record(sent);
            }
        })));
        var elapsed = started.Elapsed;
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
        return elapsed;
    }
}
