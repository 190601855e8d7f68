using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Storage;

/// <summary>Results outlive the process: the server as an operator runs it, stopped and started on the same data folder.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_knock_out_played_before_a_restart_is_on_the_leaderboard_and_the_profiles_after_it()
    {
        using var data = new TestDataDirectory();
        var port = ServerProcess.FreePort();
        string[] arguments = ["--urls", $"http://127.0.0.1:{port}", $"--{TestDataDirectory.Setting}={data.Path}",
            .. Duel.Settings().SelectMany(setting => new[] { $"--{setting.Key}={setting.Value}" })];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var ws = new Uri($"ws://127.0.0.1:{port}/ws");

        string winner, loser, token;
        await using (var first = ServerProcess.Start(arguments))
        {
            await first.WaitUntilServingAsync(http, "/health", TimeSpan.FromSeconds(30));
            await using (var duel = await Duel.StartAsync(ws, "Before", "Restart"))
            {
                await duel.KnockOutAsync();
                (winner, loser, token) = (Duel.ProfileId(duel.WelcomeA), Duel.ProfileId(duel.WelcomeB), Duel.Token(duel.WelcomeA));
            }
            // At once: the graceful stop writes what is still queued.
            Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(30)));
        }

        await using var second = ServerProcess.Start(arguments);
        await second.WaitUntilServingAsync(http, "/health", TimeSpan.FromSeconds(30));
        var board = (await http.GetFromJsonAsync<JsonArray>("/api/leaderboard"))!;
        Assert.Equal(
            [(winner, "Before", 1216, 1, 0), (loser, "Restart", 1184, 0, 1)],
            board.Select(e => (e!["profileId"]!.GetValue<string>(), e["name"]!.GetValue<string>(), e["rating"]!.GetValue<int>(), e["wins"]!.GetValue<int>(), e["losses"]!.GetValue<int>())));
        var profile = (await http.GetFromJsonAsync<JsonObject>($"/api/profiles/{loser}"))!;
        Assert.Equal("knockout", profile["matches"]![0]!["reason"]!.GetValue<string>());

        // And the page's kept token still works on the new process.
        await using var back = await Duel.StartAsync(ws, "After", "Someone", profileA: token);
        Assert.Equal((winner, 1216, 1), (Duel.ProfileId(back.WelcomeA), back.WelcomeA["profile"]!["rating"]!.GetValue<int>(), back.WelcomeA["profile"]!["wins"]!.GetValue<int>()));
    }
}
