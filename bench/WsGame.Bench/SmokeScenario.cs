namespace WsGame.Bench;

/// <summary>
/// smoke: every scenario that applies, with tiny sizes, in a few seconds: correctness, not speed, for
/// the test suite. Fails when anything was lost or broke. Against WsGame (<c>--protocol wsgame</c>, the
/// default) the server needs a room of 16 (<c>--WsGame:Game:RoomCapacity=16 --WsGame:Game:ArenaWidth=1000
/// --WsGame:Game:ArenaHeight=832</c>); a peer runs with <c>--protocol seed-chat</c>, or <c>none</c> when it
/// only echoes.
/// </summary>
public static class SmokeScenario
{
    public const int FanOutClients = 16;

    public static async Task<ScenarioResult> RunAsync(Arguments arguments, IReadOnlyDictionary<string, Func<Arguments, Task<ScenarioResult>>> scenarios)
    {
        var protocol = arguments.String("--protocol", "wsgame");
        var chatPath = arguments.String("--chat-path", protocol == "seed-chat" ? "/ws/chat" : "/ws");
        var echoPath = arguments.String("--echo-path", "/ws/echo");
        var common = arguments.String("--server-pid", "") is { Length: > 0 } pid ? new[] { "--server-pid", pid } : [];

        var runs = new List<(string Name, string Scenario, string Path, string[] Options)>
        {
            // No warm-up: the smoke checks correctness, and on a cold server (a Debug build, a slow CI
            // machine) the first echoes may take longer than a short measured window.
            ("echo-rtt", "echo-rtt", echoPath, ["--connections", "2", "--warm-up", "0", "--seconds", "1"]),
            ("echo-bulk", "echo-bulk", echoPath, ["--connections", "1", "--size", "65536", "--warm-up", "0", "--seconds", "0.5"]),
            ("idle", "idle", echoPath, ["--connections", "50", "--hold", "0.5", "--checks", "10"]),
        };
        if (protocol != "none")
        {
            // A generous latency limit: the smoke checks that every client gets every broadcast, not how fast.
            runs.Add(("fan-out", "fan-out", chatPath, ["--protocol", protocol, "--start", "8", "--step", "8", "--max", $"{FanOutClients}",
                "--samples", "20", "--limit-ms", "10000", "--loss-timeout", "5"]));
        }
        if (protocol == "wsgame")
        {
            // As generous with the last moves: the test suite runs beside the smoke and can stall the server for a
            // second or more; a move must still arrive (nothing lost), just not within the usual one-second drain.
            runs.Add(("game", "game", "/ws", ["--bots", "8", "--seconds", "2", "--drain", "4"]));
            runs.Add(("game-arena", "game", "/ws", ["--arena", "--bots", "6", "--seconds", "2", "--room", "bench-smoke", "--drain", "4"]));
            // Two duels, each player dropping once, two spectators a room: every seq checked across a resume.
            runs.Add(("resume", "resume", "/ws", ["--players", "4", "--spectators", "4", "--rooms", "2", "--drops", "1",
                "--seconds", "2", "--room", "bench-smoke-resume", "--drain", "2"]));
            runs.Add(("allocation", "allocation", echoPath, ["--connections", "2", "--warm-up", "0.5", "--seconds", "1", "--idle", "0.5"]));
        }

        var result = new ScenarioResult();
        var reports = new List<object>();
        var failedRuns = 0;
        foreach (var (name, scenario, path, options) in runs)
        {
            var url = new UriBuilder(arguments.Url) { Path = path }.Uri;
            var sub = new Arguments(scenario, url, [.. options, .. common]);
            ScenarioResult run;
            try
            {
                run = await scenarios[scenario](sub);
            }
            catch (Exception exception)
            {
                run = new ScenarioResult();
                run.Failures.Add($"{exception.GetType().Name}: {exception.Message}");
            }
            if (name == "fan-out" && run.Figures.GetValueOrDefault("max_clients_held") < FanOutClients)
            {
                run.Failures.Add($"the room did not hold {FanOutClients} clients"
                    + (run.Figures.GetValueOrDefault("room_capped") > 0 ? " (room full: start WsGame with RoomCapacity >= 16)" : ""));
            }
            failedRuns += run.Failures.Count > 0 ? 1 : 0;
            result.Failures.AddRange(run.Failures.Select(failure => $"{name}: {failure}"));
            Console.Error.WriteLine($"smoke {name}: {(run.Failures.Count == 0 ? "ok" : string.Join("; ", run.Failures))}");
            reports.Add(new { name, figures = run.Figures, failures = run.Failures });
        }
        result["scenarios"] = runs.Count;
        result["failed"] = failedRuns;
        result.Details["runs"] = reports;
        return result;
    }
}
