using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Cluster;

/// <summary>The operator's API of a cluster of two real nodes on Redis: any node answers for all of them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterApiTests : IAsyncLifetime
{
    private const string Key = "cluster-operator-key";

    private readonly RedisServer _redis = new();
    private ClusterNodes _nodes = null!;

    public async Task InitializeAsync()
    {
        try
        {
            await _redis.InitializeAsync();
            _nodes = new ClusterNodes(2, "--WsGame:Cluster:Provider=Redis", "--WsGame:Cluster:ConnectionString=" + _redis.ConnectionString,
                "--WsGame:ApiKey=" + Key);
            await _nodes.StartAsync();
            // Each node knows the other once the other's first report (with its hub) reached the directory.
            await ClusterNodes.UntilAsync(async () =>
            {
                foreach (var node in new[] { 1, 2 })
                {
                    var listed = await _nodes.ListedByAsync(node);
                    if (listed.Count != 2 || listed.Values.Any(entry => entry.State != "Active" || entry.Url is null))
                    {
                        return false;
                    }
                }
                return true;
            }, TimeSpan.FromSeconds(60), $"two active nodes that reported\n{_nodes}");
        }
        catch
        {
            // xunit does not dispose a class whose start failed: end what did start, by PID, here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Rooms_and_players_of_every_node_are_listed_by_any_node_with_the_node_they_live_on()
    {
        var (alice, _) = await GameTestClient.JoinAsync(WebSocket(1), "alice", room: "alpha");
        var (bob, _) = await GameTestClient.JoinAsync(WebSocket(2), "bob", room: "beta");
        await using (alice)
        await using (bob)
        {
            foreach (var node in new[] { 1, 2 })
            {
                var rooms = await _nodes.Http.GetFromJsonAsync<JsonElement[]>(_nodes.Url(node) + "/api/rooms");
                Assert.Equal([("alpha", "node-1"), ("beta", "node-2")],
                    rooms!.Select(room => (room.GetProperty("name").GetString(), room.GetProperty("node").GetString())).ToArray());

                var players = await _nodes.Http.GetFromJsonAsync<JsonElement[]>(_nodes.Url(node) + "/api/players");
                Assert.Equal([("alice", "alpha", "node-1"), ("bob", "beta", "node-2")], players!
                    .Select(player => (player.GetProperty("name").GetString(), player.GetProperty("room").GetString(), player.GetProperty("node").GetString()))
                    .ToArray());
            }
            var beta = await _nodes.Http.GetFromJsonAsync<JsonElement>(_nodes.Url(1) + "/api/rooms/beta");
            Assert.Equal("node-2", beta.GetProperty("node").GetString());

            // The totals add up the nodes' reports, each at most one report interval old.
            await ClusterNodes.UntilAsync(async () =>
            {
                var cluster = (await _nodes.Http.GetFromJsonAsync<JsonElement>(_nodes.Url(2) + "/api/stats")).GetProperty("cluster");
                return cluster.GetProperty("nodes").GetInt32() == 2 && cluster.GetProperty("players").GetInt32() == 2
                    && cluster.GetProperty("rooms").GetInt32() == 2 && cluster.GetProperty("connectionsOpen").GetInt32() == 2;
            }, TimeSpan.FromSeconds(10), "two nodes, two players and two rooms in node-2's cluster totals");
            var own = await _nodes.Http.GetFromJsonAsync<JsonElement>(_nodes.Url(2) + "/api/stats");
            Assert.Equal(1, own.GetProperty("players").GetInt32());
        }
    }

    [Fact]
    public async Task An_operator_on_one_node_removes_a_player_of_another_and_announces_to_every_node()
    {
        var (alice, _) = await GameTestClient.JoinAsync(WebSocket(1), "alice", room: "alpha");
        var (bob, bobWelcome) = await GameTestClient.JoinAsync(WebSocket(2), "bob", room: "beta");
        await using (alice)
        await using (bob)
        {
            using var announce = new HttpRequestMessage(HttpMethod.Post, _nodes.Url(2) + "/api/broadcast")
            {
                Content = JsonContent.Create(new { message = "maintenance at noon" }),
            };
            announce.Headers.Add("X-Api-Key", Key);
            var announced = await _nodes.Http.SendAsync(announce);
            Assert.Equal(HttpStatusCode.OK, announced.StatusCode);
            Assert.Equal(2, (await announced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recipients").GetInt32());
            await alice.ReceiveAsync("status", message => message["message"]?.GetValue<string>() == "[server] maintenance at noon");

            var bobId = bobWelcome["id"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.NoContent, (await Delete(1, bobId)).StatusCode);
            Assert.Equal((WebSocketCloseStatus)4002, await bob.WaitForCloseAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await Delete(1, bobId)).StatusCode);
        }
    }

    [Fact]
    public async Task A_stalled_node_is_left_out_of_the_answers_instead_of_holding_them_up()
    {
        var (alice, _) = await GameTestClient.JoinAsync(WebSocket(1), "alice", room: "alpha");
        var (bob, _) = await GameTestClient.JoinAsync(WebSocket(2), "bob", room: "beta");
        await using (alice)
        await using (bob)
        {
            await Signal("STOP", _nodes.Process(2).Id);
            try
            {
                // node-2 (and the directory grain, if it lives there) answers nothing: node-1 waits at most its
                // bound for each, and answers with what it knows.
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var rooms = await _nodes.Http.GetFromJsonAsync<JsonElement[]>(_nodes.Url(1) + "/api/rooms");
                var cluster = await _nodes.Http.GetAsync(_nodes.Url(1) + "/api/cluster");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(9), $"node-1 took {clock.Elapsed.TotalSeconds:F1} s to answer");
                Assert.Contains(rooms!, room => room.GetProperty("name").GetString() == "alpha");
                Assert.Equal(HttpStatusCode.OK, cluster.StatusCode);
            }
            finally
            {
                await Signal("CONT", _nodes.Process(2).Id);
            }
        }
    }

    private static async Task Signal(string signal, int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private Uri WebSocket(int node) => new(_nodes.Url(node).Replace("http://", "ws://") + "/ws");

    private async Task<HttpResponseMessage> Delete(int node, string playerId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, _nodes.Url(node) + "/api/players/" + playerId);
        request.Headers.Add("X-Api-Key", Key);
        return await _nodes.Http.SendAsync(request);
    }
}
