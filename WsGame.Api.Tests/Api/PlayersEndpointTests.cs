using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Api;

public sealed class PlayersEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    private static string Id(JsonObject message) => message["id"]!.GetValue<string>();

    private static void AssertMatchesWelcome(JsonElement player, JsonObject welcome, string room, DateTimeOffset joinedAround)
    {
        var you = welcome["you"]!.AsObject();
        Assert.Equal(Id(welcome), player.GetProperty("id").GetString());
        Assert.Equal(you["name"]!.GetValue<string>(), player.GetProperty("name").GetString());
        Assert.Equal("ninja", player.GetProperty("sprite").GetString());
        Assert.Equal(room, player.GetProperty("room").GetString());
        Assert.Equal(you["left"]!.GetValue<int>(), player.GetProperty("left").GetInt32());
        Assert.Equal(you["top"]!.GetValue<int>(), player.GetProperty("top").GetInt32());
        Assert.Equal(you["energy"]!.GetValue<int>(), player.GetProperty("energy").GetInt32());
        var connectedSince = player.GetProperty("connectedSince").GetDateTimeOffset();
        Assert.InRange(connectedSince, joinedAround.AddSeconds(-10), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Players_lists_a_connected_player_with_its_room_position_energy_and_connection_time()
    {
        var room = ApiServer.Room("list");
        var before = DateTimeOffset.UtcNow;
        var (client, welcome) = await GameTestClient.JoinAsync(server.App, "Lister", room, "ninja");
        await using var _ = client;
        using var http = server.CreateClient();

        var response = await http.GetAsync("/api/players");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var players = await ApiServer.JsonAsync(response);
        var me = Assert.Single(players.EnumerateArray(), p => p.GetProperty("id").GetString() == Id(welcome));
        AssertMatchesWelcome(me, welcome, room, before);
    }

    [Fact]
    public async Task A_player_who_left_is_no_longer_listed()
    {
        var (client, welcome) = await GameTestClient.JoinAsync(server.App, "Goner", ApiServer.Room("gone"));
        await client.SendAsync(new { type = "leave" });
        await client.WaitForCloseAsync();
        await client.DisposeAsync();
        using var http = server.CreateClient();

        var listed = true;
        for (var attempt = 0; attempt < 50 && listed; attempt++)
        {
            var players = await ApiServer.JsonAsync(await http.GetAsync("/api/players"));
            listed = players.EnumerateArray().Any(p => p.GetProperty("id").GetString() == Id(welcome));
            if (listed)
            {
                await Task.Delay(100);
            }
        }

        Assert.False(listed);
    }

    [Fact]
    public async Task Player_by_id_answers_the_players_state()
    {
        var room = ApiServer.Room("one");
        var before = DateTimeOffset.UtcNow;
        var (client, welcome) = await GameTestClient.JoinAsync(server.App, "Single", room, "ninja");
        await using var _ = client;
        using var http = server.CreateClient();

        var response = await http.GetAsync($"/api/players/{Id(welcome)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertMatchesWelcome(await ApiServer.JsonAsync(response), welcome, room, before);
    }

    [Fact]
    public async Task Unknown_player_id_answers_404_problem_details()
    {
        using var http = server.CreateClient();

        var response = await http.GetAsync("/api/players/no-such-player");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ApiServer.JsonAsync(response);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("no-such-player", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Removing_a_player_closes_its_socket_with_4002_and_gives_up_its_seat()
    {
        var room = ApiServer.Room("remove");
        using var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(server.App.WebSocketUri("/ws"), cts.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "join", name = "Removed", room })),
            WebSocketMessageType.Text, true, cts.Token);
        var buffer = new byte[64 * 1024];
        var first = await socket.ReceiveAsync(buffer, cts.Token);
        var id = JsonNode.Parse(buffer.AsSpan(0, first.Count))!["id"]!.GetValue<string>();
        var (witness, _) = await GameTestClient.JoinAsync(server.App, "Witness", room);
        await using var _w = witness;
        using var http = server.CreateClient(ApiServer.Key);

        var response = await http.DeleteAsync($"/api/players/{id}");
        while ((await socket.ReceiveAsync(buffer, cts.Token)).MessageType != WebSocketMessageType.Close)
        {
        }
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token); // completes the handshake

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal((WebSocketCloseStatus)4002, socket.CloseStatus);
        Assert.Equal("removed by an operator", socket.CloseStatusDescription);
        var left = await witness.ReceiveAsync("update", m => m["left"] is not null);
        Assert.Contains(id, left["left"]!.AsArray().Select(x => x!.GetValue<string>()));
        // The registry counts the close just after the room is told; allow that moment.
        long removed = 0;
        for (var attempt = 0; attempt < 50 && removed == 0; attempt++)
        {
            var stats = await ApiServer.JsonAsync(await http.GetAsync("/api/stats"));
            removed = stats.GetProperty("closedByCode").TryGetProperty("4002", out var count) ? count.GetInt64() : 0;
            if (removed == 0)
            {
                await Task.Delay(100);
            }
        }
        Assert.True(removed >= 1, "the 4002 close was not counted");
        var gone = await http.GetAsync($"/api/players/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Removing_an_unknown_player_answers_404()
    {
        using var http = server.CreateClient(ApiServer.Key);

        var response = await http.DeleteAsync("/api/players/999999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", HttpStatusCode.Forbidden)]
    public async Task Removing_without_the_right_key_is_refused_and_the_player_stays(string? key, HttpStatusCode expected)
    {
        var (client, welcome) = await GameTestClient.JoinAsync(server.App, "Kept", ApiServer.Room("kept"));
        await using var _ = client;
        using var http = server.CreateClient(key);

        var response = await http.DeleteAsync($"/api/players/{Id(welcome)}");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/players/{Id(welcome)}")).StatusCode);
        Assert.Equal(WebSocketState.Open, client.State);
    }
}
