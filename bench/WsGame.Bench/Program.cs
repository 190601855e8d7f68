using System.Text.Json;
using System.Text.Json.Serialization;
using WsGame.Bench;

// Load generator for WsGame and its peers. One scenario per run; prints one JSON object with the
// figures, so a runner script (bench/run.sh) can put servers side by side. Traffic goes to the given
// loopback URL only. Exit code: 0 ok, 1 something was lost or failed, 2 bad command line.
//   WsGame.Bench echo-rtt ws://127.0.0.1:8080/ws/echo --connections 32 --seconds 10
//   WsGame.Bench fan-out ws://127.0.0.1:8080 --protocol wsgame --start 100 --step 100 --max 1000
//   WsGame.Bench smoke ws://127.0.0.1:8080 --server-pid 1234
const string Usage = """
    usage: WsGame.Bench <scenario> <ws-url> [options]   (see bench/README.md)
      echo-rtt    --connections 1 --warm-up 2 --seconds 10
      echo-bulk   --connections 4 --size 65536 --warm-up 2 --seconds 10
      fan-out     --protocol wsgame|seed-chat --start 100 --step 100 --max 10000 --broadcasters 4 --samples 100 --limit-ms 500
      game        --bots 1000 --seconds 30 [--arena --room-size N --observers 32]
      resume      --players 500 --spectators 1000 --rooms 10 --drops 3 --seconds 30  (WsGame only: seq, resume, spectate)
      idle        --connections 10000 --hold 10 --checks 100
      allocation  --connections 32 --warm-up 3 --seconds 10        (WsGame only: reads /api/stats)
      smoke       --protocol wsgame|seed-chat|none                 (every scenario, tiny, a few seconds)
      probe       exits 0 when the URL accepts a WebSocket handshake
    common: --server-pid PID (CPU and RSS from /proc), --connect-rate 2000, --per-source-address 20000
    """;

if (args.Length < 2 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine(Usage);
    return 2;
}

Dictionary<string, Func<Arguments, Task<ScenarioResult>>> scenarios = new()
{
    ["echo-rtt"] = EchoScenarios.RoundTripAsync,
    ["echo-bulk"] = EchoScenarios.BulkAsync,
    ["fan-out"] = FanOutScenario.RunAsync,
    ["game"] = GameScenario.RunAsync,
    ["resume"] = ResumeScenario.RunAsync,
    ["idle"] = IdleScenario.RunAsync,
    ["allocation"] = AllocationScenario.RunAsync,
};
scenarios["smoke"] = arguments => SmokeScenario.RunAsync(arguments, scenarios);

Arguments arguments;
try
{
    arguments = new Arguments(args[0], new Uri(args[1]), args.Skip(2));
}
catch (Exception exception) when (exception is ArgumentException or UriFormatException)
{
    Console.Error.WriteLine($"{exception.Message}\n{Usage}");
    return 2;
}
if (!Arguments.IsLoopback(arguments.Url))
{
    Console.Error.WriteLine("the benchmark only sends traffic to a loopback address (127.0.0.0/8 or ::1)");
    return 2;
}

if (arguments.Scenario == "probe")
{
    try
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await using var client = await BenchClient.ConnectAsync(arguments.Url, timeout.Token);
        return 0;
    }
    catch (Exception exception)
    {
        Console.Error.WriteLine($"probe {arguments.Url}: {exception.Message}");
        return 1;
    }
}
if (!scenarios.TryGetValue(arguments.Scenario, out var scenario))
{
    Console.Error.WriteLine($"unknown scenario '{arguments.Scenario}'\n{Usage}");
    return 2;
}

ScenarioResult result;
try
{
    result = await scenario(arguments);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}
catch (Exception exception)
{
    // Whatever went wrong, the runner still gets one JSON object that says so (exit 1).
    result = new ScenarioResult();
    result.Failures.Add($"{exception.GetType().Name}: {exception.Message}");
}
if (arguments.Unread().ToArray() is { Length: > 0 } unknown)
{
    Console.Error.WriteLine($"unknown option(s) for {arguments.Scenario}: {string.Join(' ', unknown)}");
    return 2;
}

var json = new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
Console.WriteLine(JsonSerializer.Serialize(new
{
    scenario = arguments.Scenario,
    url = arguments.Url.ToString(),
    ok = result.Failures.Count == 0,
    figures = result.Figures,
    failures = result.Failures,
    details = result.Details,
}, json));
return result.Failures.Count == 0 ? 0 : 1;
