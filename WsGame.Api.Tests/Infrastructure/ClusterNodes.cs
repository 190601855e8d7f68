using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace WsGame.Api.Tests.Infrastructure;

/// <summary>
/// Real WsGame processes forming one cluster on loopback (node-1, node-2, ...), each on HTTP, silo and gateway
/// ports of its own, sharing the membership table named by <paramref name="membership"/> (the provider's settings).
/// Every process is ended by its PID on dispose.
/// </summary>
public sealed class ClusterNodes(int count, params string[] membership) : IAsyncDisposable
{
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}"[..16];
    private readonly List<(ServerProcess Process, int Port)> _nodes = [];

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public int Count => _nodes.Count;

    public string Name(int node) => $"node-{node}";

    public string Url(int node) => $"http://127.0.0.1:{_nodes[node - 1].Port}";

    public ServerProcess Process(int node) => _nodes[node - 1].Process;

    /// <summary>Starts the nodes and waits until each serves HTTP.</summary>
    public async Task StartAsync()
    {
        for (var node = 1; node <= count; node++)
        {
            var port = ServerProcess.FreePort();
            _nodes.Add((ServerProcess.Start([
                "--urls", $"http://127.0.0.1:{port}",
                "--WsGame:Cluster:ClusterId=" + _clusterId,
                "--WsGame:Cluster:NodeName=" + Name(node),
                "--WsGame:Cluster:AdvertisedAddress=127.0.0.1",
                .. membership]), port));
        }
        for (var node = 1; node <= count; node++)
        {
            await Process(node).WaitUntilServingAsync(Http, Url(node) + "/health", TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>The nodes as <paramref name="node"/>'s <c>/api/cluster</c> lists them: name to (state, url).</summary>
    public async Task<Dictionary<string, (string State, string? Url)>> ListedByAsync(int node)
    {
        var nodes = await Http.GetFromJsonAsync<JsonElement[]>(Url(node) + "/api/cluster");
        return nodes!.ToDictionary(
            entry => entry.GetProperty("name").GetString()!,
            entry => (entry.GetProperty("state").GetString()!, entry.GetProperty("url").GetString()));
    }

    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; returns how long it took.</summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException) when (clock.Elapsed < timeout)
            {
                // A node that is still starting, or the one that was just killed.
            }
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds} s");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>kill -9: the node gets no chance to say goodbye.</summary>
    public void Kill(int node) => Process(node).Kill();

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _) in _nodes)
        {
            await process.DisposeAsync();
        }
        Http.Dispose();
    }

    /// <summary>Each node's output, for a failure's message.</summary>
    public override string ToString() =>
        string.Join("\n", _nodes.Select((node, index) => $"--- {Name(index + 1)} ---\n{Tail(node.Process.Output)}"));

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];
}
