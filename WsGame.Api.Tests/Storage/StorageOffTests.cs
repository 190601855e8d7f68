using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Storage;

/// <summary>A server with <c>WsGame:Storage:Provider=None</c>: the game as before profiles, and a records API that says why it has nothing.</summary>
public sealed class StorageOffTests : IClassFixture<StorageOffTests.Server>
{
    public sealed class Server : IDisposable
    {
        public WsGameServer App { get; } = new(new Dictionary<string, string?>(Duel.Settings()) { ["WsGame:Storage:Provider"] = "None" });

        public void Dispose() => App.Dispose();
    }

    private readonly WsGameServer _app;
    private readonly HttpClient _http;

    public StorageOffTests(Server server)
    {
        _app = server.App;
        _http = _app.CreateHttpClient();
    }

    [Fact]
    public async Task A_knock_out_is_played_without_profiles_and_no_database_file_is_made()
    {
        await using var duel = await Duel.StartAsync(_app.WebSocketUri("/ws"), "Winner", "Loser", profileA: "0123456789abcdef.not-a-real-token");
        Assert.Null(duel.WelcomeA["profile"]);
        Assert.Null(duel.WelcomeB["profile"]);
        var ko = await duel.KnockOutAsync();
        Assert.Equal("knockout", ko["reason"]!.GetValue<string>());
        Assert.All(ko["ratings"]?.AsArray() ?? [], rating => Assert.Null(rating!["profileId"]));
        Assert.False(Directory.Exists(_app.DataDirectory) && Directory.EnumerateFileSystemEntries(_app.DataDirectory).Any(), "a data folder with something in it");
        Assert.Empty(_app.Problems.Events);
    }

    [Theory]
    [InlineData("/api/leaderboard")]
    [InlineData("/api/profiles/0123456789abcdef")]
    [InlineData("/api/matches")]
    [InlineData("/api/matches/0123456789abcdef")]
    public async Task The_records_endpoints_answer_503_naming_the_setting(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("WsGame:Storage:Provider is None", problem!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_is_healthy_and_says_storage_is_off()
    {
        var body = await _http.GetStringAsync("/health");
        Assert.Contains("Storage is off", body);
        Assert.DoesNotContain("Degraded", body);
    }
}
