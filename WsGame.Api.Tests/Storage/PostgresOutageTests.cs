using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Storage;

/// <summary>The game on PostgreSQL (a real server the test starts), and what happens when that server stops in the middle of play.</summary>
public sealed class PostgresOutageTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private WsGameServer Server()
    {
        var settings = Duel.Settings();
        settings["WsGame:Storage:Provider"] = "PostgreSQL";
        settings["ConnectionStrings:WsGame"] = postgres.ConnectionString($"game_{Guid.NewGuid():N}");
        settings["WsGame:Storage:MaxRetryDelay"] = "00:00:00.500";
        settings["WsGame:Storage:LookupTimeout"] = "00:00:00.500";
        return new WsGameServer(settings);
    }

    private static async Task<JsonObject> HealthAsync(HttpClient http) =>
        JsonNode.Parse(await (await http.GetAsync("/health")).Content.ReadAsStringAsync())!.AsObject();

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Matches_go_on_while_PostgreSQL_is_down_health_is_degraded_and_every_result_is_stored_once_it_is_back()
    {
        await using var app = Server();
        using var http = app.CreateHttpClient();
        var ws = app.WebSocketUri("/ws");
        await using var duel = await Duel.StartAsync(ws, "Ann", "Bob");
        await duel.KnockOutAsync();
        var ann = Duel.ProfileId(duel.WelcomeA);
        await Eventually(async () => (await http.GetAsync($"/api/profiles/{ann}")).IsSuccessStatusCode, "the first match was not stored");

        await postgres.StopAsync();
        for (var round = 2; round <= 3; round++)
        {
            await duel.A.SendAsync(new { type = "rematch" });
            await duel.B.SendAsync(new { type = "rematch" });
            await duel.A.ReceiveAsync("round", where: m => m["round"]!.GetValue<int>() == round);
            var ko = await duel.KnockOutAsync(); // the game does not wait for the database
            Assert.Equal(round, ko["round"]!.GetValue<int>());
        }
        // A newcomer joins too, under a fresh profile made while the database is out.
        await using var late = await Duel.StartAsync(ws, "Cid", "Dee");
        await late.KnockOutAsync();
        await Eventually(async () => (await HealthAsync(http))["checks"]!["storage"]!["status"]!.GetValue<string>() == "Degraded", "health never said Degraded");
        var degraded = await http.GetAsync("/health");
        Assert.Equal(200, (int)degraded.StatusCode); // Degraded is still fit to play on (README)
        var health = JsonNode.Parse(await degraded.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("Degraded", health["status"]!.GetValue<string>());
        Assert.Contains("results wait in memory", health["checks"]!["storage"]!["description"]!.GetValue<string>());
        Assert.Equal(503, (int)(await http.GetAsync("/api/leaderboard")).StatusCode);

        await postgres.StartAsync();
        await Eventually(async () =>
        {
            var response = await http.GetAsync($"/api/profiles/{ann}");
            return response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonObject>())!["wins"]!.GetValue<int>() == 3;
        }, "the outage's results were not all stored");
        var profile = (await http.GetFromJsonAsync<JsonObject>($"/api/profiles/{ann}"))!;
        Assert.Equal((3, 0, 3), (profile["wins"]!.GetValue<int>(), profile["losses"]!.GetValue<int>(), profile["matches"]!.AsArray().Count));
        Assert.Equal([3, 2, 1], profile["matches"]!.AsArray().Select(m => m!["round"]!.GetValue<int>()));
        var cid = Duel.ProfileId(late.WelcomeA);
        await Eventually(async () => (await http.GetAsync($"/api/profiles/{cid}")).IsSuccessStatusCode, "the profile made during the outage was not stored");
        await Eventually(async () => (await HealthAsync(http))["checks"]!["storage"]!["status"]!.GetValue<string>() == "Healthy", "health stayed Degraded");
        Assert.Single(app.Problems.Events, e => e.Category.EndsWith("ResultWriter", StringComparison.Ordinal) && e.Level == LogLevel.Error); // once per outage
    }
}
