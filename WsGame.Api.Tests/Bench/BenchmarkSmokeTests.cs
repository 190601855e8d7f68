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
        Assert.Equal("smoke", root.GetProperty("scenario").GetString());
        Assert.Empty(root.GetProperty("failures").EnumerateArray());
        var figures = root.GetProperty("figures");
        Assert.True(figures.EnumerateObject().Any(), $"the smoke run reported no figures: {run.StandardOutput}");
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
