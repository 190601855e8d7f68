using System.Globalization;
using System.Text.Json;
using WsGame.Bench;

// Load generator for WsGame and its peers. One scenario per run; prints one JSON object with the
// figures, so a runner script can put servers side by side. Traffic goes to the given URL only.
//   dotnet run -c Release --project bench/WsGame.Bench -- echo-rtt ws://127.0.0.1:8080/ws/echo --connections 32 --seconds 10
//   dotnet run -c Release --project bench/WsGame.Bench -- echo-bulk ws://127.0.0.1:8080/ws/echo --connections 4 --size 65536 --seconds 10
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: WsGame.Bench <echo-rtt|echo-bulk> <ws-url> [--connections N] [--seconds S] [--size BYTES]");
    return 2;
}

var scenario = args[0];
var uri = new Uri(args[1]);
if (!System.Net.IPAddress.TryParse(uri.Host, out var address) || !System.Net.IPAddress.IsLoopback(address))
{
    Console.Error.WriteLine("the benchmark only sends traffic to a loopback address (127.0.0.0/8 or ::1)");
    return 2;
}
int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
var duration = TimeSpan.FromSeconds(Option("--seconds", 10));

var figures = scenario switch
{
    "echo-rtt" => await EchoScenarios.RoundTripAsync(uri, Option("--connections", 1), duration),
    "echo-bulk" => await EchoScenarios.BulkAsync(uri, Option("--connections", 4), Option("--size", 64 * 1024), duration),
    _ => throw new ArgumentException($"unknown scenario '{scenario}'"),
};
Console.WriteLine(JsonSerializer.Serialize(new { scenario, url = uri.ToString(), figures }));
return 0;
