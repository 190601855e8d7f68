using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WsGame.Api.Game.Session;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Game.Session;

/// <summary>The game at /ws over real sockets on a real Kestrel, with real ClientWebSocket players.</summary>
public sealed class GameOverSocketsTests : IClassFixture<GameOverSocketsTests.Server>
{
    public sealed class Server : IDisposable
    {
        public WsGameServer App { get; } = new(new Dictionary<string, string?>
        {
            ["WsGame:Game:MaxEnergy"] = "3",
            ["WsGame:Game:AttackCooldown"] = "00:00:00.050",
            ["WsGame:Game:MaxSpeed"] = "100000",
            ["WsGame:Game:TickRate"] = "20",
        });

        public GameSession Session => App.Services.GetRequiredService<GameSession>();

        public void Dispose() => App.Dispose();
    }

    private readonly Server _server;

    public GameOverSocketsTests(Server server)
    {
        _server = server;
        _ = server.App.BaseAddress;
    }

    private static string Id(JsonObject message) => message["id"]!.GetValue<string>();

    private static string Room(string test) => $"{test}-{Guid.NewGuid():N}"[..32];

    [Fact]
    public async Task Two_players_land_in_the_same_room_and_see_a_move_within_two_ticks()
    {
        var room = Room("move");
        var (a, welcomeA) = await GameTestClient.JoinAsync(_server.App, "Alice", room);
        await using var _a = a;
        var (b, welcomeB) = await GameTestClient.JoinAsync(_server.App, "Bob", room);
        await using var _b = b;

        Assert.Equal(room, welcomeA["room"]!.GetValue<string>());
        Assert.Equal(room, welcomeB["room"]!.GetValue<string>());
        Assert.Equal(2, welcomeB["players"]!.AsArray().Count);
        var me = welcomeA["you"]!.AsObject();
        var target = me["left"]!.GetValue<int>() + 10;

        var sentAt = DateTime.UtcNow;
        await a.SendAsync(new { type = "move", left = target, top = me["top"]!.GetValue<int>(), direction = "RIGHT", status = "MOVE" });
        // A player that joined since the last tick is reported whole under "joined", later ones under "players".
        static JsonNode? Find(JsonObject update, string id) =>
            (update["players"]!.AsArray().Concat(update["joined"]?.AsArray() ?? [])).FirstOrDefault(p => p!["id"]!.GetValue<string>() == id && p["status"]!.GetValue<string>() == "MOVE");
        var update = await b.ReceiveAsync("update", m => Find(m, Id(welcomeA)) is not null);

        var moved = Find(update, Id(welcomeA))!;
        Assert.Equal(target, moved["left"]!.GetValue<int>());
        Assert.Equal("MOVE", moved["status"]!.GetValue<string>());
        // Two ticks at 20 Hz are 100 ms; allow scheduling noise on a loaded 2-core machine.
        Assert.True(DateTime.UtcNow - sentAt < TimeSpan.FromMilliseconds(100 + 400), "the update came too late");
    }

    [Fact]
    public async Task A_teleport_is_refused_with_a_correction_to_the_authoritative_position()
    {
        var (a, welcome) = await GameTestClient.JoinAsync(_server.App, "Porter", Room("teleport"));
        await using var _ = a;

        await a.SendAsync(new { type = "move", left = 100_000, top = -5_000, direction = "UP", status = "MOVE" });
        var correction = await a.ReceiveAsync("correction");

        Assert.Equal(Id(welcome), Id(correction));
        Assert.InRange(correction["left"]!.GetValue<int>(), 0, 500 - 96);
        Assert.InRange(correction["top"]!.GetValue<int>(), 0, 400 - 96);
    }

    [Fact]
    public async Task Attacks_until_knock_out_produce_the_ko_event_and_a_rematch_starts_a_new_round()
    {
        var room = Room("ko");
        var (a, welcomeA) = await GameTestClient.JoinAsync(_server.App, "Hitter", room);
        await using var _a = a;
        var (b, welcomeB) = await GameTestClient.JoinAsync(_server.App, "Target", room);
        await using var _b = b;
        var round = await a.ReceiveAsync("round");
        var players = round["players"]!.AsArray();
        var me = players.Single(p => p!["id"]!.GetValue<string>() == Id(welcomeA))!;
        var them = players.Single(p => p!["id"]!.GetValue<string>() == Id(welcomeB))!;

        // Walk into the target from its left: the server stops us at its body, facing it.
        var facing = me["left"]!.GetValue<int>() < them["left"]!.GetValue<int>() ? "RIGHT" : "LEFT";
        await a.SendAsync(new { type = "move", left = them["left"]!.GetValue<int>(), top = them["top"]!.GetValue<int>(), direction = facing, status = "MOVE" });
        await a.ReceiveAsync("correction");
        for (var i = 0; i < 3; i++)
        {
            await a.SendAsync(new { type = "attack" });
            await Task.Delay(120);
        }

        var ko = await b.ReceiveAsync("ko");
        Assert.Equal(Id(welcomeB), ko["loser"]!.GetValue<string>());
        Assert.Equal(Id(welcomeA), ko["winner"]!.GetValue<string>());
        var lastHit = b.Received.Where(m => GameTestClient.TypeOf(m) == "update" && m["attacks"] is not null)
            .SelectMany(m => m["attacks"]!.AsArray()).SelectMany(x => x!["hits"]!.AsArray()).Last()!;
        Assert.Equal(0, lastHit["energy"]!.GetValue<int>());

        await a.SendAsync(new { type = "rematch" });
        await b.SendAsync(new { type = "rematch" });
        var next = await b.ReceiveAsync("round", m => m["round"]!.GetValue<int>() > round["round"]!.GetValue<int>());
        Assert.All(next["players"]!.AsArray(), p => Assert.Equal(3, p!["energy"]!.GetValue<int>()));
        Assert.Equal(1, next["players"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == Id(welcomeA))!["wins"]!.GetValue<int>());
    }

    [Fact]
    public async Task Chat_reaches_the_room_in_order_with_the_senders_name_and_id()
    {
        var room = Room("chat");
        var (a, welcomeA) = await GameTestClient.JoinAsync(_server.App, "Talker", room);
        await using var _a = a;
        var (b, _) = await GameTestClient.JoinAsync(_server.App, "Listener", room);
        await using var _b = b;

        for (var i = 0; i < 20; i++)
        {
            await a.SendAsync(new { type = "chat", message = $"line {i}" });
        }
        for (var i = 0; i < 20; i++)
        {
            var chat = await b.ReceiveAsync("chat");
            Assert.Equal($"line {i}", chat["message"]!.GetValue<string>());
            Assert.Equal("Talker", chat["sender"]!.GetValue<string>());
            Assert.Equal(Id(welcomeA), Id(chat));
        }
    }

    [Fact]
    public async Task A_full_named_room_refuses_with_many_peoples()
    {
        var room = Room("full");
        var (a, _) = await GameTestClient.JoinAsync(_server.App, "One", room);
        await using var _a = a;
        var (b, _) = await GameTestClient.JoinAsync(_server.App, "Two", room);
        await using var _b = b;
        await using var c = await GameTestClient.ConnectAsync(_server.App);

        await c.SendAsync(new { type = "join", name = "Three", room });
        var error = await c.ReceiveAsync("error");

        Assert.Equal(-1, error["code"]!.GetValue<int>());
        Assert.Equal("Many peoples", error["message"]!.GetValue<string>());
        Assert.Equal(WebSocketState.Open, c.State);
    }

    [Fact]
    public async Task Matchmaking_fills_a_duel_then_opens_a_new_room_for_the_third_player()
    {
        var (a, welcomeA) = await GameTestClient.JoinAsync(_server.App, "M1");
        await using var _a = a;
        var (b, welcomeB) = await GameTestClient.JoinAsync(_server.App, "M2");
        await using var _b = b;
        var (c, welcomeC) = await GameTestClient.JoinAsync(_server.App, "M3");
        await using var _c = c;

        // Only this test matchmakes on this server (the others name their rooms), and tests of one
        // class run one at a time, so the first two fill one public room and the third opens another.
        Assert.Equal(welcomeA["room"]!.GetValue<string>(), welcomeB["room"]!.GetValue<string>());
        Assert.NotEqual(welcomeA["room"]!.GetValue<string>(), welcomeC["room"]!.GetValue<string>());
        Assert.Equal(2, welcomeB["players"]!.AsArray().Count);
        Assert.Single(welcomeC["players"]!.AsArray());
    }

    [Fact]
    public async Task Leave_gets_the_seed_success_reply_closes_with_1000_and_the_room_is_told()
    {
        var room = Room("leave");
        var (a, welcomeA) = await GameTestClient.JoinAsync(_server.App, "Leaver", room);
        await using var _a = a;
        var (b, _) = await GameTestClient.JoinAsync(_server.App, "Stayer", room);
        await using var _b = b;

        var knockOutsBefore = _server.Session.Stats.KnockOuts;
        await a.SendAsync(new { type = "leave" });
        var reply = await a.ReceiveAsync(where: m => m["code"] is not null && GameTestClient.TypeOf(m) is null);
        var closeStatus = await a.WaitForCloseAsync();
        var status = await b.ReceiveAsync("status", m => m["message"]!.GetValue<string>() == "Leaver left the chat.");
        var update = await b.ReceiveAsync("update", m => m["left"] is not null);
        var forfeit = await b.ReceiveAsync("ko");

        // Leaving mid-round ends it by forfeit: the room is told, but it is no knock-out.
        Assert.Equal("left", forfeit["reason"]!.GetValue<string>());
        Assert.Equal(Id(welcomeA), forfeit["loser"]!.GetValue<string>());
        Assert.Equal(knockOutsBefore, _server.Session.Stats.KnockOuts);

        Assert.Equal(0, reply["code"]!.GetValue<int>());
        Assert.Equal("success", reply["message"]!.GetValue<string>());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closeStatus);
        Assert.Equal(Id(welcomeA), Id(status));
        Assert.Contains(Id(welcomeA), update["left"]!.AsArray().Select(x => x!.GetValue<string>()));
    }

    [Fact]
    public async Task A_connection_closed_with_1000_removes_the_player()
    {
        var room = Room("drop");
        var (a, welcomeA) = await GameTestClient.JoinAsync(_server.App, "Closer", room);
        var (b, _) = await GameTestClient.JoinAsync(_server.App, "Witness", room);
        await using var _b = b;

        await a.DisposeAsync(); // a close handshake with 1000: leaving, not a drop

        var update = await b.ReceiveAsync("update", m => m["left"] is not null);
        Assert.Contains(Id(welcomeA), update["left"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Null(_server.Session.FindPlayer(Id(welcomeA)));
    }

    [Theory]
    [InlineData("{not json", "Invalid JSON format.")]
    [InlineData("[1,2]", "Invalid JSON format.")]
    [InlineData("{\"type\":\"chat\",\"message\":\"hi\"}", "Invalid message format or not joined.")]
    [InlineData("{\"type\":\"dance\"}", "Invalid message format or not joined.")]
    [InlineData("{\"message\":\"no type\"}", "Invalid message format or not joined.")]
    [InlineData("{\"type\":\"join\",\"name\":\"   \"}", "Invalid field 'name': 1-16 characters, no control characters.")]
    [InlineData("{\"type\":\"join\",\"name\":\"seventeen chars!!\"}", "Invalid field 'name': 1-16 characters, no control characters.")]
    [InlineData("{\"type\":\"join\",\"name\":\"tab\\there\"}", "Invalid field 'name': 1-16 characters, no control characters.")]
    [InlineData("{\"type\":\"join\",\"name\":42}", "Invalid field 'name': a text is required.")]
    [InlineData("{\"type\":\"join\",\"name\":\"ok\",\"sprite\":\"dragon\"}", "Invalid field 'sprite': one of knight, ninja, mage, archer.")]
    public async Task A_bad_message_gets_an_error_and_the_connection_stays_usable(string message, string expected)
    {
        await using var client = await GameTestClient.ConnectAsync(_server.App);

        await client.SendTextAsync(message);
        var error = await client.ReceiveAsync("error");
        await client.SendAsync(new { type = "join", name = "Recovered", room = Room("recover") });
        var welcome = await client.ReceiveAsync("welcome");

        Assert.Equal(expected, error["message"]!.GetValue<string>());
        Assert.NotNull(welcome["id"]);
    }

    [Theory]
    [InlineData("{\"type\":\"move\",\"left\":\"ten\",\"top\":5,\"direction\":\"UP\",\"status\":\"MOVE\"}", "left")]
    [InlineData("{\"type\":\"move\",\"left\":1,\"top\":5,\"direction\":\"NORTH\",\"status\":\"MOVE\"}", "direction")]
    [InlineData("{\"type\":\"move\",\"left\":1,\"top\":5,\"direction\":\"UP\",\"status\":\"FLY\"}", "status")]
    [InlineData("{\"type\":\"chat\"}", "message")]
    public async Task A_bad_field_after_joining_is_named_in_the_error(string message, string field)
    {
        var (client, _) = await GameTestClient.JoinAsync(_server.App, "Fielder", Room("field"));
        await using var _ = client;

        await client.SendTextAsync(message);
        var error = await client.ReceiveAsync("error");
        await client.SendAsync(new { type = "chat", message = "still here" });
        var chat = await client.ReceiveAsync("chat");

        Assert.Equal(field, error["field"]!.GetValue<string>());
        Assert.Equal("still here", chat["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_binary_frame_gets_an_error_not_a_crash()
    {
        var (client, _) = await GameTestClient.JoinAsync(_server.App, "Binary", Room("binary"));
        await using var _ = client;

        await client.SendBinaryAsync([1, 2, 3]);
        var error = await client.ReceiveAsync("error");

        Assert.Equal("Binary messages are not supported: send JSON text.", error["message"]!.GetValue<string>());
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task A_chat_over_the_length_cap_is_refused()
    {
        var (client, _) = await GameTestClient.JoinAsync(_server.App, "Verbose", Room("long"));
        await using var _ = client;

        await client.SendAsync(new { type = "chat", message = new string('a', 501) });
        var error = await client.ReceiveAsync("error");

        Assert.Equal("message", error["field"]!.GetValue<string>());
    }
}
