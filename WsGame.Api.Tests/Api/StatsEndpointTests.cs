using System.Net;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Api;

public sealed class StatsEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Stats_reflect_connected_players_their_room_and_their_traffic()
    {
        var room = ApiServer.Room("stats");
        var (a, _) = await GameTestClient.JoinAsync(server.App, "StatsA", room);
        await using var _a = a;
        var (b, _) = await GameTestClient.JoinAsync(server.App, "StatsB", room);
        await using var _b = b;
        await a.SendAsync(new { type = "chat", message = "hello" });
        await b.ReceiveAsync("chat");
        if (!b.Received.Any(m => GameTestClient.TypeOf(m) == "update"))
        {
            await b.ReceiveAsync("update"); // at least one tick with both in the room (it may come before the chat)
        }
        using var http = server.CreateClient();

        var response = await http.GetAsync("/api/stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var stats = await ApiServer.JsonAsync(response);
        Assert.True(stats.GetProperty("uptimeSeconds").GetDouble() > 0);
        Assert.True(stats.GetProperty("connectionsOpen").GetInt32() >= 2);
        Assert.True(stats.GetProperty("connectionsTotal").GetInt64() >= 2);
        Assert.True(stats.GetProperty("players").GetInt32() >= 2);
        Assert.True(stats.GetProperty("rooms").GetInt32() >= 1);
        Assert.True(stats.GetProperty("messagesIn").GetInt64() >= 3); // two joins and a chat
        Assert.True(stats.GetProperty("messagesOut").GetInt64() >= 4);
        Assert.True(stats.GetProperty("bytesIn").GetInt64() > 0);
        Assert.True(stats.GetProperty("bytesOut").GetInt64() > 0);
        Assert.True(stats.GetProperty("ticks").GetInt64() > 0);
        Assert.True(stats.GetProperty("averageFanOut").GetDouble() > 0);
        Assert.True(stats.GetProperty("maxFanOut").GetInt64() >= 2);
        Assert.True(stats.GetProperty("rounds").GetInt64() >= 1); // a full duel room starts a round
        Assert.True(stats.GetProperty("knockOuts").GetInt64() >= 0);
        Assert.True(stats.GetProperty("allocatedBytes").GetInt64() > 0);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, stats.GetProperty("closedByCode").ValueKind);
    }

    [Fact]
    public async Task Messages_in_and_out_are_each_counted_once_whether_in_a_room_or_not()
    {
        // A server of its own: its counters then hold this client's traffic and nothing else.
        await using var app = new WsGameServer();
        await using var client = await GameTestClient.ConnectAsync(app);
        await client.SendAsync(new { type = "chat", message = "before joining" }); // an unnumbered error
        await client.ReceiveAsync("error");
        await client.SendAsync(new { type = "join", name = "Counted" });
        await client.ReceiveAsync("update"); // the tick that lists the newcomer; a lone player standing still changes nothing after it
        await client.SendAsync(new { type = "chat", message = "last" });
        await client.ReceiveAsync("chat", m => m["message"]!.GetValue<string>() == "last");
        using var http = app.CreateHttpClient();

        var stats = await ApiServer.JsonAsync(await http.GetAsync("/api/stats"));

        Assert.Equal(3, stats.GetProperty("messagesIn").GetInt64());
        Assert.Equal(["error", "welcome", "status", "update", "chat"], client.Received.Select(GameTestClient.TypeOf));
        Assert.Equal(client.Received.Count, stats.GetProperty("messagesOut").GetInt64());
    }

    [Fact]
    public async Task Stats_count_a_closed_connection_under_its_close_code()
    {
        var (client, _) = await GameTestClient.JoinAsync(server.App, "Closer", ApiServer.Room("closed"));
        await client.DisposeAsync(); // closes with 1000
        using var http = server.CreateClient();

        long closedNormally = 0;
        for (var attempt = 0; attempt < 50 && closedNormally == 0; attempt++)
        {
            var stats = await ApiServer.JsonAsync(await http.GetAsync("/api/stats"));
            if (stats.GetProperty("closedByCode").TryGetProperty("1000", out var count))
            {
                closedNormally = count.GetInt64();
            }
            else
            {
                await Task.Delay(100);
            }
        }

        Assert.True(closedNormally >= 1, "a 1000 close was not counted");
    }
}
