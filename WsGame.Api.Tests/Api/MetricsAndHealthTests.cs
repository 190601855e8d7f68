using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WsGame.Api.Hosting;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Api;

/// <summary>
/// /metrics and /health of a real server. Meters are process-wide and the exporter picks instruments by the
/// meter's name, not by the host that made them, so these run alone (not beside other test servers, whose
/// instruments of the same names it would otherwise export too).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsAndHealthTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Metrics_exports_the_wsgame_instruments_in_prometheus_text_after_traffic()
    {
        var room = ApiServer.Room("metrics");
        var (a, _) = await GameTestClient.JoinAsync(server.App, "MetricA", room);
        await using var _a = a;
        var (b, _) = await GameTestClient.JoinAsync(server.App, "MetricB", room);
        await using var _b = b;
        await a.SendAsync(new { type = "chat", message = "count me" });
        await b.ReceiveAsync("chat");
        using var http = server.CreateClient();

        // The exporter caches a scrape briefly; wait for one that saw the players and a tick.
        string text = "";
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var response = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            text = await response.Content.ReadAsStringAsync();
            if (Value(text, "wsgame_players") >= 2 && Value(text, "wsgame_connections_open") >= 2 && Value(text, "wsgame_tick_duration_seconds_count") > 0 && Value(text, "wsgame_ticks_total") > 0)
            {
                break;
            }
            await Task.Delay(200);
        }

        var lines = text.Split('\n');
        Assert.Contains(lines, line => line.StartsWith("wsgame_", StringComparison.Ordinal));
        Assert.True(Value(text, "wsgame_players") >= 2, text);
        Assert.True(Value(text, "wsgame_connections_open") >= 2, text);
        Assert.True(Value(text, "wsgame_rooms") >= 1, text);
        Assert.True(Value(text, "wsgame_messages_in_total") >= 3, text);
        Assert.True(Value(text, "wsgame_bytes_in_bytes_total") > 0, text);
        Assert.True(Value(text, "wsgame_ticks_total") > 0, text);
        Assert.True(Value(text, "wsgame_tick_duration_seconds_count") > 0, text);
        Assert.Contains(lines, line => line.StartsWith("wsgame_send_queue_drops", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("wsgame_connections_total", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("wsgame_messages_out_total", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("wsgame_bytes_out_bytes_total", StringComparison.Ordinal));
        // Per node: every sample names the node that measured it, so that a cluster's scrapes add up.
        Assert.All(lines.Where(line => line.StartsWith("wsgame_", StringComparison.Ordinal)),
            line => Assert.Matches("\\{[^}]*node=\"[^\"]+\"", line));
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> (labels ignored); -1 when absent.</summary>
    private static double Value(string text, string metric)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is ' ' or '{')
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // "name{labels} value [timestamp]": the value follows the name and labels.
                var value = line[metric.Length] == '{' ? line[(line.IndexOf('}') + 1)..].Trim().Split(' ')[0] : parts[1];
                return double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }

    [Fact]
    public async Task Health_reports_the_game_loop_as_ticking()
    {
        using var http = server.CreateClient();

        var response = await http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var gameLoop = body.RootElement.GetProperty("checks").GetProperty("gameLoop");
        Assert.Equal("Healthy", gameLoop.GetProperty("status").GetString());
    }

    [Fact]
    public void A_game_loop_silent_for_more_than_ten_ticks_is_unhealthy()
    {
        var interval = TimeSpan.FromMilliseconds(500); // 2 Hz: ten ticks are 5 s

        Assert.Equal(HealthStatus.Healthy, GameLoopHealthCheck.Evaluate(TimeSpan.FromSeconds(4.9), interval).Status);
        var stalled = GameLoopHealthCheck.Evaluate(TimeSpan.FromSeconds(5.1), interval);
        Assert.Equal(HealthStatus.Unhealthy, stalled.Status);
        Assert.Contains("no game tick", stalled.Description);
    }

    [Fact]
    public void At_a_fast_tick_rate_the_loop_gets_at_least_two_seconds_before_it_is_unhealthy()
    {
        var interval = TimeSpan.FromSeconds(1.0 / 20); // ten ticks are only 0.5 s

        Assert.Equal(TimeSpan.FromSeconds(2), GameLoopHealthCheck.StallLimit(interval));
        Assert.Equal(HealthStatus.Healthy, GameLoopHealthCheck.Evaluate(TimeSpan.FromSeconds(1.5), interval).Status);
        Assert.Equal(HealthStatus.Unhealthy, GameLoopHealthCheck.Evaluate(TimeSpan.FromSeconds(2.5), interval).Status);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics, alone in the process";
}
