using System.Net.Http.Json;
using System.Text.Json;

namespace WsGame.Bench;

/// <summary>
/// allocation (WsGame only): managed bytes the server allocates per echoed message, from
/// <c>allocatedBytes</c> in <c>GET /api/stats</c> (GC.GetTotalAllocatedBytes) before and after a
/// steady echo-rtt run that follows a warm-up (JIT, pools and buffers filled first). What the server
/// allocates while idle (the game loop, timers) over the same time is measured too and taken off, so
/// the figure is the cost of the messages.
/// </summary>
public static class AllocationScenario
{
    public static async Task<ScenarioResult> RunAsync(Arguments arguments)
    {
        var uri = arguments.UrlWithPath("/ws/echo");
        var statsUri = new UriBuilder(uri) { Scheme = uri.Scheme == "wss" ? "https" : "http", Path = arguments.String("--stats-path", "/api/stats") }.Uri;
        var connections = arguments.Int("--connections", 32);
        var warmUp = arguments.Seconds("--warm-up", 3);
        var duration = arguments.Seconds("--seconds", 10);
        var idle = arguments.Seconds("--idle", 1);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var warmUpRun = new ScenarioResult();
        await EchoScenarios.RoundTripAsync(uri, connections, warmUp, warmUpRun, arguments.Probe());

        // What one stats request costs (after two that warm the endpoint up), and what the server
        // allocates on its own while idle (game loop, timers): both are taken off the run's total.
        await AllocatedAsync(http, statsUri);
        await AllocatedAsync(http, statsUri);
        var first = await AllocatedAsync(http, statsUri);
        var requestCost = Math.Max(0, await AllocatedAsync(http, statsUri) - first);
        var idleStart = await AllocatedAsync(http, statsUri);
        await Task.Delay(idle);
        var idleEnd = await AllocatedAsync(http, statsUri);
        var idlePerSecond = Math.Max(0, idleEnd - idleStart - requestCost) / idle.TotalSeconds;

        var echo = new ScenarioResult();
        var before = await AllocatedAsync(http, statsUri);
        var run = System.Diagnostics.Stopwatch.StartNew();
        var messages = await EchoScenarios.RoundTripAsync(uri, connections, duration, echo, arguments.Probe());
        var after = await AllocatedAsync(http, statsUri);
        run.Stop();

        var result = new ScenarioResult();
        result.Failures.AddRange(warmUpRun.Failures.Select(failure => $"warm-up: {failure}"));
        var allocated = after - before - requestCost - idlePerSecond * run.Elapsed.TotalSeconds;
        result["messages"] = messages;
        result["allocated_mb"] = Math.Round((after - before) / 1048576.0, 2);
        result["stats_request_bytes"] = requestCost;
        result["idle_bytes_per_s"] = Math.Round(idlePerSecond);
        result["bytes_per_message"] = Math.Round(Math.Max(0, allocated) / Math.Max(1, messages), 1);
        result["messages_per_s"] = echo["messages_per_s"];
        if (echo.Figures.TryGetValue("server_cpu_percent", out var cpu))
        {
            result["server_cpu_percent"] = cpu;
        }
        result.Failures.AddRange(echo.Failures);
        if (messages == 0)
        {
            result.Failures.Add("no message was echoed");
        }
        return result;
    }

    private static async Task<long> AllocatedAsync(HttpClient http, Uri statsUri)
    {
        using var stats = await http.GetFromJsonAsync<JsonDocument>(statsUri)
            ?? throw new InvalidDataException($"{statsUri} answered nothing");
        return stats.RootElement.TryGetProperty("allocatedBytes", out var allocated)
            ? allocated.GetInt64()
            : throw new InvalidDataException($"{statsUri} has no allocatedBytes: the allocation scenario is for WsGame only");
    }
}
