using System.Text.Json;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Bench;

/// <summary>
/// The benchmark's smoke mode (bench/WsGame.Bench, every scenario with tiny sizes) against a real server:
/// proves the load generator and the scenarios still work and lose nothing. Correctness only; speed is
/// measured by bench/run.sh side by side with the peers, never here.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task The_smoke_run_of_every_scenario_against_WsGame_loses_nothing()
    {
        // The fan-out and arena scenarios put 16 clients in one room: an arena that seats them.
        await using var server = new WsGameServer(new Dictionary<string, string?>
        {
            ["WsGame:Game:RoomCapacity"] = "16",
            ["WsGame:Game:ArenaWidth"] = "1000",
            ["WsGame:Game:ArenaHeight"] = "832",
        });
        var url = server.WebSocketUri("/").AbsoluteUri;

        var run = await ClientProcess.RunAsync("dotnet", [BenchAssembly, "smoke", url, "--protocol", "wsgame"],
            RepositoryPaths.Root, TimeSpan.FromSeconds(120));

        Assert.False(run.TimedOut, $"the smoke run did not finish: {run}");
        Assert.True(run.ExitCode == 0, $"the smoke run failed: {run}");
        using var report = JsonDocument.Parse(LastLine(run.StandardOutput));
        var root = report.RootElement;
        Assert.Empty(root.GetProperty("failures").EnumerateArray());
        Assert.Equal(8, root.GetProperty("figures").GetProperty("scenarios").GetInt32());

        // Every scenario moved real traffic: a run that measured nothing would also report no failure.
        var runs = root.GetProperty("details").GetProperty("runs").EnumerateArray()
            .ToDictionary(entry => entry.GetProperty("name").GetString()!, entry => entry.GetProperty("figures"));
        Assert.True(runs["echo-rtt"].GetProperty("messages_per_s").GetDouble() > 0, $"no echo: {run}");
        Assert.True(runs["echo-bulk"].GetProperty("megabytes_per_s").GetDouble() > 0, $"no bulk echo: {run}");
        Assert.Equal(10, runs["idle"].GetProperty("echo_checks_ok").GetDouble());
        Assert.Equal(16, runs["fan-out"].GetProperty("max_clients_held").GetDouble());
        Assert.True(runs["game"].GetProperty("deliveries_seen").GetDouble() > 0, $"no game move delivered: {run}");
        Assert.True(runs["game-arena"].GetProperty("deliveries_seen").GetDouble() > 0, $"no arena move delivered: {run}");
        Assert.True(runs["resume"].GetProperty("resumes").GetDouble() >= 4, $"not every player resumed: {run}");
        Assert.True(runs["resume"].GetProperty("spectator_messages").GetDouble() > 0, $"no spectator got a message: {run}");
        Assert.True(runs["allocation"].GetProperty("messages").GetDouble() > 0, $"no echo in the allocation run: {run}");
    }

    /// <summary>The load generator, built by the solution in the configuration the tests were built in.</summary>
    private static string BenchAssembly
    {
        get
        {
            // Tests run from WsGame.Api.Tests/bin/<Configuration>/<TargetFramework>/.
            var framework = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = framework.Parent!.Name;
            var path = Path.Combine(RepositoryPaths.Root, "bench", "WsGame.Bench", "bin", configuration, framework.Name, "WsGame.Bench.dll");
            Assert.True(File.Exists(path), $"{path} is missing: build WsGame.sln (it builds the benchmark too).");
            return path;
        }
    }

    private static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
}
