using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WsGame.Api.Game;
using WsGame.Api.Game.Results;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Storage;

/// <summary>Profiles, ratings and records through the real game: real Kestrel, real sockets, SQLite on disk.</summary>
public sealed class RecordsOverSocketsTests : IClassFixture<RecordsOverSocketsTests.Server>
{
    public sealed class Server : IDisposable
    {
        public WsGameServer App { get; } = new(Duel.Settings());

        public void Dispose() => App.Dispose();
    }

    private readonly WsGameServer _app;
    private readonly HttpClient _http;

    public RecordsOverSocketsTests(Server server)
    {
        _app = server.App;
        _http = _app.CreateHttpClient();
    }

    private Uri Ws => _app.WebSocketUri("/ws");

    /// <summary>Polls until the writer has stored what the test played (it writes in the background).</summary>
    private async Task<JsonObject> ProfileWhenAsync(string id, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var response = await _http.GetAsync($"/api/profiles/{id}");
            if (response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadFromJsonAsync<JsonObject>())! is var profile && condition(profile))
            {
                return profile;
            }
            Assert.True(DateTime.UtcNow < deadline, $"profile {id}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_knock_out_moves_both_ratings_is_told_in_the_ko_and_is_stored_with_every_field()
    {
        await using var duel = await Duel.StartAsync(Ws, "Winner", "Loser");
        var ko = await duel.KnockOutAsync();
        var (a, b) = (Duel.ProfileId(duel.WelcomeA), Duel.ProfileId(duel.WelcomeB));
        var ratings = ko["ratings"]!.AsArray().Select(r => (r!["profileId"]!.GetValue<string>(), r["change"]!.GetValue<int>(), r["rating"]!.GetValue<int>()));
        Assert.Equal([(a, 16, 1216), (b, -16, 1184)], ratings);

        var winner = await ProfileWhenAsync(a, p => p["wins"]!.GetValue<int>() == 1);
        Assert.Equal(("Winner", 1216, 0, 1), (winner["name"]!.GetValue<string>(), winner["rating"]!.GetValue<int>(), winner["losses"]!.GetValue<int>(), winner["streak"]!.GetValue<int>()));
        var match = winner["matches"]!.AsArray().Single()!;
        Assert.Equal((a, "knockout", 1), (match["winner"]!.GetValue<string>(), match["reason"]!.GetValue<string>(), match["round"]!.GetValue<int>()));
        var players = match["players"]!.AsArray();
        Assert.Equal([a, b], players.Select(p => p!["profileId"]!.GetValue<string>()));
        Assert.Equal([3, 0], players.Select(p => p!["hitsDealt"]!.GetValue<int>()));
        Assert.Equal([3, 0], players.Select(p => p!["energyLeft"]!.GetValue<int>()));
        Assert.Equal([16, -16], players.Select(p => p!["ratingChange"]!.GetValue<int>()));
        Assert.True(match["endedAt"]!.GetValue<DateTime>() >= match["startedAt"]!.GetValue<DateTime>());

        var byId = await _http.GetFromJsonAsync<JsonObject>($"/api/matches/{match["id"]}");
        Assert.Equal(match.ToJsonString(), byId!.ToJsonString());
        var ofLoser = await _http.GetFromJsonAsync<JsonArray>($"/api/matches?profile={b}&limit=5");
        Assert.Equal(match["id"]!.GetValue<string>(), ofLoser!.Single()!["id"]!.GetValue<string>());
        var board = await _http.GetFromJsonAsync<JsonArray>("/api/leaderboard?top=100");
        Assert.Contains(board!, entry => entry!["profileId"]!.GetValue<string>() == a && entry["rating"]!.GetValue<int>() == 1216 && entry["wins"]!.GetValue<int>() == 1);
    }

    [Fact]
    public async Task A_returning_player_under_another_name_is_the_same_profile_and_its_record_carries_on()
    {
        string token, id;
        await using (var first = await Duel.StartAsync(Ws, "Ann", "Bob"))
        {
            await first.KnockOutAsync();
            (token, id) = (Duel.Token(first.WelcomeA), Duel.ProfileId(first.WelcomeA));
            await first.A.SendAsync(new { type = "leave" });
            await first.A.WaitForCloseAsync();
        }

        await using var second = await Duel.StartAsync(Ws, "Annie", "Carl", profileA: token);
        var profile = second.WelcomeA["profile"]!;
        Assert.Equal((id, token, 1216, 1, 0), (profile["id"]!.GetValue<string>(), profile["token"]!.GetValue<string>(),
            profile["rating"]!.GetValue<int>(), profile["wins"]!.GetValue<int>(), profile["losses"]!.GetValue<int>()));
        var players = await _http.GetFromJsonAsync<JsonArray>("/api/players");
        Assert.Contains(players!, p => p!["name"]!.GetValue<string>() == "Annie" && p["profileId"]!.GetValue<string>() == id);

        var ko = await second.KnockOutAsync();
        Assert.Equal(1216 + 15, ko["ratings"]![0]!["rating"]!.GetValue<int>()); // 32 * (1 - E(1216 vs 1200)) = 15.3
        var stored = await ProfileWhenAsync(id, p => p["wins"]!.GetValue<int>() == 2);
        Assert.Equal(("Annie", 1231, 2), (stored["name"]!.GetValue<string>(), stored["rating"]!.GetValue<int>(), stored["streak"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("\"garbage\"")]
    [InlineData("\"ÄÖÜ-é-非-🙂\"")]
    [InlineData("12345")]
    [InlineData("{\"id\":\"x\"}")]
    [InlineData("null")]
    [InlineData("HUGE")]
    public async Task A_bad_token_gets_a_fresh_profile_and_the_connection_stays_open(string token)
    {
        var json = token == "HUGE" ? $"\"{new string('x', 50_000)}\"" : token;
        await using var client = await GameTestClient.ConnectAsync(Ws);
        var room = $"bad-{Guid.NewGuid():N}"[..24];
        await client.SendTextAsync($"{{\"type\":\"join\",\"name\":\"Guest\",\"room\":\"{room}\",\"profile\":{json}}}");
        var welcome = await client.ReceiveAsync("welcome");
        Assert.Equal(1200, welcome["profile"]!["rating"]!.GetValue<int>());
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
        await client.SendAsync(new { type = "chat", message = "still here" });
        await client.ReceiveAsync("chat");
    }

    [Theory]
    [InlineData("/api/leaderboard?top=0", 400)]
    [InlineData("/api/leaderboard?top=101", 400)]
    [InlineData("/api/leaderboard?top=abc", 400)]
    [InlineData("/api/leaderboard?top=-1", 400)]
    [InlineData("/api/leaderboard?top=99999999999999999999", 400)]
    [InlineData("/api/matches?limit=0", 400)]
    [InlineData("/api/matches?limit=1.5", 400)]
    [InlineData("/api/matches?profile=NOT-AN-ID", 400)]
    [InlineData("/api/matches?profile=0123456789abcdef", 404)]
    [InlineData("/api/profiles/0123456789abcdef", 404)]
    [InlineData("/api/profiles/%C3%A4%20%27;drop", 404)]
    [InlineData("/api/matches/0123456789abcdef", 404)]
    public async Task Bad_or_unknown_parameters_get_problem_details_never_a_500(string url, int status)
    {
        var response = await _http.GetAsync(url);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(status, problem!["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Five_hundred_matches_ending_at_the_same_moment_are_all_recorded_once_each()
    {
        // A server of its own: its leaderboard is this test's alone.
        await using var app = new WsGameServer();
        using var http = app.CreateHttpClient();
        var recorder = app.Services.GetRequiredService<IMatchRecorder>();
        var end = DateTime.UtcNow;
        // From many threads at once, as 500 rooms' turns would.
        Parallel.For(0, 500, i => recorder.Record(new MatchResult("burst", i + 1, RoundEndReason.KnockOut, 0, TimeSpan.Zero, TimeSpan.FromSeconds(20),
        [
            new MatchPlayer("1", new PlayerProfile(Id(2 * i), $"w{i}", 1200, 0, 0), "W", "knight", 3, 3, 16),
            new MatchPlayer("2", new PlayerProfile(Id(2 * i + 1), $"l{i}", 1200, 0, 0), "L", "mage", 0, 0, -16),
        ]), end));

        // The writer stores them in the background: look until all are there (or 20 s have passed).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<int> rounds;
        while (true)
        {
            rounds = [];
            for (var i = 0; i < 1000; i += 2)
            {
                var response = await http.GetAsync($"/api/matches?profile={Id(i)}&limit=100");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    rounds.AddRange((await response.Content.ReadFromJsonAsync<JsonArray>())!.Select(match => match!["round"]!.GetValue<int>()));
                }
            }
            if (rounds.Count >= 500 || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(200);
        }
        Assert.Equal(Enumerable.Range(1, 500), rounds.Order()); // each once: none lost, none doubled
        var board = (await http.GetFromJsonAsync<JsonArray>("/api/leaderboard?top=100"))!;
        Assert.Equal(100, board.Count);
        Assert.All(board, entry => Assert.Equal((1216, 1, 0), (entry!["rating"]!.GetValue<int>(), entry["wins"]!.GetValue<int>(), entry["losses"]!.GetValue<int>())));
        var loser = (await http.GetFromJsonAsync<JsonObject>($"/api/profiles/{Id(999)}"))!;
        Assert.Equal((0, 1, 1184, -1), (loser["wins"]!.GetValue<int>(), loser["losses"]!.GetValue<int>(), loser["rating"]!.GetValue<int>(), loser["streak"]!.GetValue<int>()));
    }

    private static string Id(int i) => $"{0xb000000000000000UL + (ulong)i:x16}";
}
