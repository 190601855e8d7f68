using System.Net;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Api;

/// <summary><c>/api/rooms</c>: the open rooms with their round, players and spectators.</summary>
public sealed class RoomsEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_room_is_listed_with_its_phase_players_and_spectators_and_shows_a_dropped_player_as_not_connected()
    {
        var room = ApiServer.Room("rooms");
        var (a, welcomeA) = await GameTestClient.JoinAsync(server.App, "Ann", room);
        var (b, _) = await GameTestClient.JoinAsync(server.App, "Bob", room);
        await using var _b = b;
        await using var watcher = await GameTestClient.ConnectAsync(server.App);
        await watcher.SendAsync(new { type = "spectate", room });
        await watcher.ReceiveAsync("welcome");
        using var http = server.CreateClient();

        var listed = (await ApiServer.JsonAsync(await http.GetAsync("/api/rooms"))).EnumerateArray().Single(r => r.GetProperty("name").GetString() == room);
        a.Abort();
        await b.ReceiveAsync("status", m => m["message"]!.GetValue<string>() == "Ann lost connection.");
        var one = await http.GetAsync($"/api/rooms/{Uri.EscapeDataString(room)}");
        var after = await ApiServer.JsonAsync(one);

        Assert.Equal(("live", 1, false, 1), (listed.GetProperty("phase").GetString(), listed.GetProperty("round").GetInt32(),
            listed.GetProperty("public").GetBoolean(), listed.GetProperty("spectators").GetInt32()));
        Assert.Equal(["Ann", "Bob"], listed.GetProperty("players").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.All(listed.GetProperty("players").EnumerateArray(), p => Assert.True(p.GetProperty("connected").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        var ann = after.GetProperty("players").EnumerateArray().Single(p => p.GetProperty("id").GetString() == welcomeA["id"]!.GetValue<string>());
        Assert.False(ann.GetProperty("connected").GetBoolean());
        Assert.Equal(30, ann.GetProperty("energy").GetInt32());
        var player = await ApiServer.JsonAsync(await http.GetAsync($"/api/players/{welcomeA["id"]}"));
        Assert.False(player.GetProperty("connected").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, player.GetProperty("connectedSince").ValueKind);
        await a.DisposeAsync();
    }

    [Fact]
    public async Task An_unknown_room_is_a_404_problem()
    {
        using var http = server.CreateClient();

        var response = await http.GetAsync("/api/rooms/no-such-room");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-such-room", (await ApiServer.JsonAsync(response)).GetProperty("detail").GetString());
    }
}
