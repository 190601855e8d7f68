using System.Net.WebSockets;
using System.Text.Json.Nodes;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Game.Session;

/// <summary>Seats held across a dropped TCP connection, over real sockets on a real Kestrel.</summary>
public sealed class ResumeOverSocketsTests : IClassFixture<ResumeOverSocketsTests.Server>
{
    public sealed class Server : IDisposable
    {
        public WsGameServer App { get; } = new(new Dictionary<string, string?>
        {
            ["WsGame:Game:MaxEnergy"] = "3",
            ["WsGame:Game:AttackCooldown"] = "00:00:00.050",
            ["WsGame:Game:MaxSpeed"] = "100000",
            ["WsGame:Game:ReconnectGrace"] = "00:00:02",
        });

        public void Dispose() => App.Dispose();
    }

    private readonly WsGameServer _app;

    public ResumeOverSocketsTests(Server server) => _app = server.App;

    private static string Id(JsonObject message) => message["id"]!.GetValue<string>();

    private static string Room(string test) => $"{test}-{Guid.NewGuid():N}"[..32];

    private static bool Says(JsonObject message, string text) =>
        GameTestClient.TypeOf(message) == "status" && message["message"]!.GetValue<string>() == text;

    private static IEnumerable<JsonObject> Entries(JsonObject update) =>
        new[] { update["players"], update["joined"] }.Where(list => list is not null).SelectMany(list => list!.AsArray()).Select(p => p!.AsObject());

    /// <summary>Seqs 1..n exactly once each, in order.</summary>
    private static void AssertConsecutive(IReadOnlyList<long> seqs) =>
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);

    [Fact]
    public async Task A_player_whose_connection_is_aborted_resumes_and_finishes_the_round_with_no_seq_missing_or_repeated()
    {
        var room = Room("resume");
        var (a, welcomeA) = await GameTestClient.JoinAsync(_app, "Ann", room);
        var (b, welcomeB) = await GameTestClient.JoinAsync(_app, "Bob", room);
        await using var _b = b;
        var round = await a.ReceiveAsync("round");
        var token = welcomeA["resume"]!.GetValue<string>();
        Assert.True(token.Length >= 22, "a token of at least 128 random bits");

        a.Abort();
        await b.ReceiveAsync("status", m => Says(m, "Ann lost connection."));
        // Ann's state says so in the next update (under joined if that is the room's first).
        await b.ReceiveAsync("update", m => Entries(m).Any(p => Id(p) == Id(welcomeA) && p["connected"]?.GetValue<bool>() == false));
        await b.SendAsync(new { type = "chat", message = "where did you go?" });
        await b.ReceiveAsync("chat");

        var lastSeen = a.LastSeq;
        var (back, welcome) = await GameTestClient.ResumeAsync(_app, token, lastSeen);
        await using var _back = back;
        Assert.Equal("welcome", GameTestClient.TypeOf(welcome));
        Assert.True(welcome["resumed"]!.GetValue<bool>());
        Assert.Equal((Id(welcomeA), room, round["round"]!.GetValue<int>()), (Id(welcome), welcome["room"]!.GetValue<string>(), welcome["round"]!.GetValue<int>()));
        await back.ReceiveAsync("chat", m => m["message"]!.GetValue<string>() == "where did you go?");
        await b.ReceiveAsync("status", m => Says(m, "Ann is back."));

        // Back in the same round: walk into Bob and knock him out.
        var bob = welcome["players"]!.AsArray().Single(p => Id(p!.AsObject()) == Id(welcomeB))!;
        await back.SendAsync(new { type = "move", left = bob["left"]!.GetValue<int>(), top = bob["top"]!.GetValue<int>(), direction = "RIGHT", status = "MOVE" });
        await back.ReceiveAsync("correction");
        for (var i = 0; i < 3; i++)
        {
            await back.SendAsync(new { type = "attack" });
            await Task.Delay(120);
        }
        var ko = await back.ReceiveAsync("ko");
        Assert.Equal((Id(welcomeA), "knockout"), (ko["winner"]!.GetValue<string>(), ko["reason"]!.GetValue<string>()));

        AssertConsecutive([.. a.Seqs.Where(seq => seq <= lastSeen), .. back.Seqs]);
        await b.ReceiveAsync("ko");
        AssertConsecutive(b.Seqs);
        await a.DisposeAsync();
    }

    [Fact]
    public async Task When_the_grace_runs_out_the_other_player_wins_by_forfeit()
    {
        var room = Room("grace");
        var (a, welcomeA) = await GameTestClient.JoinAsync(_app, "Gone", room);
        var (b, welcomeB) = await GameTestClient.JoinAsync(_app, "Stays", room);
        await using var _b = b;
        await b.ReceiveAsync("round");

        a.Abort();
        await b.ReceiveAsync("status", m => Says(m, "Gone lost connection."));
        var ko = await b.ReceiveAsync("ko", timeout: TimeSpan.FromSeconds(10));

        Assert.Equal(("forfeit", Id(welcomeB), Id(welcomeA)), (ko["reason"]!.GetValue<string>(), ko["winner"]!.GetValue<string>(), ko["loser"]!.GetValue<string>()));
        Assert.Contains(b.Received, m => Says(m, "Gone left the chat."));
        var (late, answer) = await GameTestClient.ResumeAsync(_app, welcomeA["resume"]!.GetValue<string>(), a.LastSeq);
        await using var _late = late;
        Assert.Equal("error", GameTestClient.TypeOf(answer));
        Assert.StartsWith("Cannot resume:", answer["message"]!.GetValue<string>());
        Assert.Equal("token", answer["field"]!.GetValue<string>());
        await a.DisposeAsync();
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.bm8tc3VjaC1yb29t")]
    public async Task An_invalid_token_is_refused_and_the_connection_stays_usable(string token)
    {
        var (client, answer) = await GameTestClient.ResumeAsync(_app, token, 0);
        await using var _ = client;

        Assert.Equal("error", GameTestClient.TypeOf(answer));
        Assert.StartsWith("Cannot resume:", answer["message"]!.GetValue<string>());
        await client.SendAsync(new { type = "join", name = "Fresh", room = Room("after-refusal") });
        Assert.NotNull((await client.ReceiveAsync("welcome"))["resume"]);
    }

    [Fact]
    public async Task A_used_token_is_refused()
    {
        var room = Room("used");
        var (a, welcomeA) = await GameTestClient.JoinAsync(_app, "Once", room);
        var (b, _) = await GameTestClient.JoinAsync(_app, "Other", room);
        await using var _b = b;
        var token = welcomeA["resume"]!.GetValue<string>();
        a.Abort();
        await b.ReceiveAsync("status", m => Says(m, "Once lost connection."));
        var (first, resumed) = await GameTestClient.ResumeAsync(_app, token, a.LastSeq);
        await using var _first = first;
        Assert.Equal("welcome", GameTestClient.TypeOf(resumed));

        var (second, answer) = await GameTestClient.ResumeAsync(_app, token, a.LastSeq);
        await using var _second = second;

        Assert.Equal("error", GameTestClient.TypeOf(answer));
        Assert.Equal(WebSocketState.Open, first.State);
        await a.DisposeAsync();
    }

    [Fact]
    public async Task A_second_resume_takes_the_seat_over_and_the_first_connection_gets_4001()
    {
        var room = Room("takeover");
        var (a, welcomeA) = await GameTestClient.JoinAsync(_app, "Twice", room);
        await using var _a = a;
        var (b, _) = await GameTestClient.JoinAsync(_app, "Watcher", room);
        await using var _b = b;
        await a.ReceiveAsync("round");

        // No drop at all: a half-open connection looks just like this to the server.
        var lastSeen = a.LastSeq;
        var (other, welcome) = await GameTestClient.ResumeAsync(_app, welcomeA["resume"]!.GetValue<string>(), lastSeen);
        await using var _other = other;

        Assert.True(welcome["resumed"]!.GetValue<bool>());
        Assert.Equal((WebSocketCloseStatus)4001, await a.WaitForCloseAsync());
        await b.SendAsync(new { type = "chat", message = "who is there?" });
        await other.ReceiveAsync("chat", m => m["message"]!.GetValue<string>() == "who is there?");
        Assert.DoesNotContain(b.Received, m => Says(m, "Twice lost connection."));
        // The stream as the resuming client knows it: what it had seen, then what the new connection brought
        // (the old connection may still have got a message or two before its close; the client has let it go).
        AssertConsecutive([.. a.Seqs.Where(seq => seq <= lastSeen), .. other.Seqs]);
    }

    [Fact]
    public async Task A_spectator_sees_every_update_with_its_own_seq_and_cannot_move()
    {
        var room = Room("watch");
        var (a, welcomeA) = await GameTestClient.JoinAsync(_app, "Mover", room);
        await using var _a = a;
        var (b, _) = await GameTestClient.JoinAsync(_app, "Stander", room);
        await using var _b = b;
        await using var spectator = await GameTestClient.ConnectAsync(_app);
        await spectator.SendAsync(new { type = "spectate", room, name = "Eve" });
        var welcome = await spectator.ReceiveAsync("welcome");
        Assert.True(welcome["spectator"]!.GetValue<bool>());
        Assert.Equal(2, welcome["players"]!.AsArray().Count);

        var start = welcomeA["you"]!["left"]!.GetValue<int>();
        for (var step = 1; step <= 10; step++)
        {
            await a.SendAsync(new { type = "move", left = start + step, top = welcomeA["you"]!["top"]!.GetValue<int>(), direction = "RIGHT", status = "MOVE" });
            await Task.Delay(60);
        }
        await spectator.SendAsync(new { type = "move", left = 0, top = 0, direction = "UP", status = "MOVE" });
        var refused = await spectator.ReceiveAsync("error");
        await b.SendAsync(new { type = "chat", message = "done" });
        await spectator.ReceiveAsync("chat");
        await b.ReceiveAsync("chat");

        Assert.Equal("Spectators cannot move or attack.", refused["message"]!.GetValue<string>());
        Assert.Contains(spectator.Received, m => GameTestClient.TypeOf(m) == "update"
            && m["players"]!.AsArray().Any(p => Id(p!.AsObject()) == Id(welcomeA) && p!["left"]!.GetValue<int>() == start + 10));
        // Every update the players got after the spectator came, it got too.
        var playerUpdates = b.Received.Where(m => GameTestClient.TypeOf(m) == "update").Select(m => m["tick"]!.GetValue<long>())
            .Where(tick => tick > spectator.Received.Where(m => GameTestClient.TypeOf(m) == "update").Min(m => m["tick"]!.GetValue<long>())).ToList();
        var seenTicks = spectator.Received.Where(m => GameTestClient.TypeOf(m) == "update").Select(m => m["tick"]!.GetValue<long>()).ToHashSet();
        Assert.All(playerUpdates, tick => Assert.Contains(tick, seenTicks));
        AssertConsecutive(spectator.Seqs);
    }
}
