using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WsGame.Api.Game;
using WsGame.Api.Game.Results;
using WsGame.Api.Storage;

// storage-throughput --provider Sqlite|PostgreSQL [--data DIR] [--connection CS] [--matches N] [--profiles P]
// Starts WsGame's storage as the server does (migrations, queue, writer), hands its recorder N duels between P
// guest profiles as fast as the queue takes them, and reports how fast the writer stored them, with this
// process's CPU beside the figure. One JSON line on stdout.
var arguments = args.Select((value, index) => (value, index)).Where(pair => pair.value.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(pair => pair.value[2..], pair => pair.index + 1 < args.Length ? args[pair.index + 1] : "");
string Argument(string name, string fallback) => arguments.TryGetValue(name, out var value) ? value : fallback;

var provider = Argument("provider", "Sqlite");
var matches = int.Parse(Argument("matches", "20000"), CultureInfo.InvariantCulture);
var profileCount = int.Parse(Argument("profiles", "1000"), CultureInfo.InvariantCulture);
// Without --data, a folder of this run's own, removed at the end.
var ownData = !arguments.ContainsKey("data");
var data = Path.GetFullPath(Argument("data", Path.Combine(Path.GetTempPath(), $"wsgame-storage-{Environment.ProcessId}")));

Directory.CreateDirectory(data);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = data, Args = [] });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["WsGame:Storage:Provider"] = provider,
    ["WsGame:Storage:DataDirectory"] = data,
    ["WsGame:Storage:QueueCapacity"] = (matches + profileCount + 1).ToString(CultureInfo.InvariantCulture),
    ["ConnectionStrings:WsGame"] = Argument("connection", ""),
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddStorage();
using var host = builder.Build();
await host.StartAsync();

var profiles = host.Services.GetRequiredService<IProfiles>();
var recorder = host.Services.GetRequiredService<IMatchRecorder>();
var writer = host.Services.GetRequiredService<ResultWriter>();
var players = new PlayerProfile[profileCount];
for (var i = 0; i < players.Length; i++)
{
    players[i] = (await profiles.ForJoinAsync(null, $"bot{i}", CancellationToken.None))!;
}

// The profiles' first sighting and one match first, not measured: the schema is created or checked before the
// writer takes any, and the measured writes are the matches alone.
var random = new Random(14);
recorder.Record(Duel(0), DateTime.UtcNow);
await WrittenAsync(profileCount + 1, TimeSpan.FromSeconds(60));
var before = writer.Written;

var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var clock = Stopwatch.StartNew();
for (var i = 1; i <= matches; i++)
{
    recorder.Record(Duel(i), DateTime.UtcNow);
}
await WrittenAsync(before + matches, TimeSpan.FromMinutes(10));
var seconds = clock.Elapsed.TotalSeconds;
process.Refresh();
var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / seconds * 100;
await host.StopAsync();
if (ownData)
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the pool holds the file open until told
    Directory.Delete(data, recursive: true);
}

// The shape of WsGame.Bench's results, so that bench/report.py puts it in the table.
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["scenario"] = "storage-writer",
    ["ok"] = true,
    ["figures"] = new Dictionary<string, object>
    {
        ["matches"] = matches,
        ["profiles"] = profileCount,
        ["seconds"] = Math.Round(seconds, 3),
        ["matches_per_s"] = Math.Round(matches / seconds, 1),
        ["writer_process_cpu_percent"] = Math.Round(cpu, 1),
    },
}));
return 0;

MatchResult Duel(int number)
{
    var first = random.Next(players.Length);
    var second = (first + 1 + random.Next(players.Length - 1)) % players.Length;
    var started = TimeSpan.FromSeconds(number);
    return new MatchResult($"bench-{number % 500}", number / 500 + 1, RoundEndReason.KnockOut, Winner: 0, started, started + TimeSpan.FromSeconds(40),
    [
        new MatchPlayer($"p{first}", players[first], $"bot{first}", "1", HitsDealt: 3, EnergyLeft: 12, RatingChange: 16),
        new MatchPlayer($"p{second}", players[second], $"bot{second}", "2", HitsDealt: 2, EnergyLeft: 0, RatingChange: -16),
    ]);
}

async Task WrittenAsync(long count, TimeSpan limit)
{
    var deadline = Stopwatch.StartNew();
    while (writer.Written < count)
    {
        if (deadline.Elapsed > limit)
        {
            throw new TimeoutException($"The writer stored {writer.Written} of {count} results in {limit}.");
        }
        await Task.Delay(5);
    }
}
