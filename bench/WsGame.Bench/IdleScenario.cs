using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace WsGame.Bench;

/// <summary>
/// idle: C WebSocket connections that send nothing, held for a while; the server's memory per
/// connection ((RSS with them - RSS before) / C, from /proc with <c>--server-pid</c>). Then, with them
/// still open, echoes on new connections must all succeed: a server holding many idle clients must
/// still serve a new one.
/// </summary>
public static class IdleScenario
{
    public static async Task<ScenarioResult> RunAsync(Arguments arguments)
    {
        var uri = arguments.UrlWithPath("/ws/echo");
        var count = arguments.Int("--connections", 10_000);
        var hold = arguments.Seconds("--hold", 10);
        var checks = arguments.Int("--checks", 100);
        var probe = arguments.Probe();
        var result = new ScenarioResult();
        // Small receive buffers: ten thousand clients of 64 KiB each would weigh more than the server.
        var connector = Connector.From(arguments, uri, bufferSize: 512);

        // A few echoes first, so the baseline already holds what any first connection costs once
        // (JIT, thread pool, buffer pools): otherwise a fresh server's figure is several times higher.
        var warmUpFailures = await EchoChecksAsync(connector, 20);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var rssBefore = probe.RssBytes();
        var failures = new StrongBox<int>();
        var loops = new Task[count];
        var connectTime = Stopwatch.StartNew();
        var clients = await connector.ConnectManyAsync(count, (client, index) =>
        {
            // Read anyway: pings must be answered, and a close from the server is worth knowing about.
            loops[index] = Task.Run(() => client.ReadTextUntilClosedAsync(static _ => { }));
            return Task.CompletedTask;
        }, failures, CancellationToken.None);
        connectTime.Stop();
        try
        {
            await Task.Delay(hold);
            var rssWith = probe.RssBytes();
            var dropped = loops.Count(loop => loop is { IsCompleted: true });

            var failedChecks = await EchoChecksAsync(connector, checks);

            result["connections"] = count - failures.Value;
            result["connect_per_s"] = Math.Round((count - failures.Value) / connectTime.Elapsed.TotalSeconds, 1);
            if (rssBefore is { } before && rssWith is { } with)
            {
                result["rss_before_mb"] = Math.Round(before / 1048576.0, 1);
                result["rss_with_connections_mb"] = Math.Round(with / 1048576.0, 1);
                result["rss_per_connection_bytes"] = Math.Round((double)(with - before) / Math.Max(1, count - failures.Value));
            }
            result["echo_checks_ok"] = checks - failedChecks;
            result.FailIfAny(failures.Value, "connections that could not be opened");
            result.FailIfAny(warmUpFailures, "warm-up echoes that failed");
            result.FailIfAny(dropped, "idle connections the server closed during the hold");
            result.FailIfAny(failedChecks, "echo checks that failed with the idle connections open");
        }
        finally
        {
            await BenchClient.CloseAllAsync(clients.OfType<BenchClient>(), loops.OfType<Task>());
        }
        return result;
    }

    /// <summary>Echoes one distinct text on each of <paramref name="checks"/> new connections, ten at a time; returns how many failed.</summary>
    private static async Task<int> EchoChecksAsync(Connector connector, int checks)
    {
        var failed = 0;
        using var gate = new SemaphoreSlim(10);
        await Task.WhenAll(Enumerable.Range(0, checks).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await using var client = await connector.ConnectAsync(timeout.Token);
                var text = $"idle-check-{i}";
                await client.SendAsync(BenchClient.TextFrame(text), timeout.Token);
                var (opcode, payload) = await client.ReceiveMessageAsync(timeout.Token);
                if (opcode != 0x1 || Encoding.UTF8.GetString(payload.Span) != text)
                {
                    Interlocked.Increment(ref failed);
                }
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or InvalidOperationException or OperationCanceledException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                gate.Release();
            }
        }));
        return failed;
    }
}
