using System.Net.WebSockets;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Cluster;

/// <summary>What a player's connection is told when its server stops gracefully (SIGTERM), alone or as a node of a cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GracefulStopTests
{
    [Fact]
    public async Task A_node_of_a_cluster_that_stops_asks_its_players_to_reconnect_with_1012()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        try
        {
            await using var nodes = new ClusterNodes(1, "--WsGame:Cluster:Provider=Redis", "--WsGame:Cluster:ConnectionString=" + redis.ConnectionString);
            await nodes.StartAsync();
            var (player, _) = await GameTestClient.JoinAsync(new Uri(nodes.Url(1).Replace("http://", "ws://") + "/ws"), "alice");
            await using (player)
            {
                var exit = nodes.Process(1).StopAsync(TimeSpan.FromSeconds(30));

                Assert.Equal((WebSocketCloseStatus)1012, await player.WaitForCloseAsync());
                Assert.Equal(0, await exit);
            }
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_server_alone_that_stops_says_it_is_going_away_with_1001()
    {
        var port = ServerProcess.FreePort();
        await using var server = ServerProcess.Start("--urls", $"http://127.0.0.1:{port}");
        using var http = new HttpClient();
        await server.WaitUntilServingAsync(http, $"http://127.0.0.1:{port}/health", TimeSpan.FromSeconds(30));
        var (player, _) = await GameTestClient.JoinAsync(new Uri($"ws://127.0.0.1:{port}/ws"), "alice");
        await using (player)
        {
            var exit = server.StopAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await player.WaitForCloseAsync());
            Assert.Equal(0, await exit);
        }
    }
}
