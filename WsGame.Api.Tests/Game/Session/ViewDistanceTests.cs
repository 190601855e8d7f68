using System.Text.Json.Nodes;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Game.Session;

/// <summary>
/// With WsGame:Game:ViewDistance a player is told about the movement near it only, over real sockets.
/// The arena is 1300 px wide with a view of 300 px: slot 0 (Alice) and slot 2 (Carol) spawn on the left
/// wall, slot 1 (Bob) on the right wall at 1204, four cells of the view grid away.
/// </summary>
public sealed class ViewDistanceTests
{
    private static WsGameServer Server() => new(new Dictionary<string, string?>
    {
        ["WsGame:Game:RoomCapacity"] = "4",
        ["WsGame:Game:ArenaWidth"] = "1300",
        ["WsGame:Game:ArenaHeight"] = "400",
        ["WsGame:Game:ViewDistance"] = "300",
        ["WsGame:Game:MaxSpeed"] = "2000", // 500 px per move: across the arena in three moves
    });

    private static string Id(JsonObject message) => message["id"]!.GetValue<string>();

    private static JsonObject You(JsonObject welcome) => welcome["you"]!.AsObject();

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();

    private static JsonNode? Listed(JsonObject update, string id) =>
        update["players"]!.AsArray().FirstOrDefault(player => player!["id"]!.GetValue<string>() == id);

    /// <summary>Waits for the update that lists <paramref name="id"/> under joined: moves after it show under players.</summary>
    private static Task<JsonObject> Joined(GameTestClient client, string id) =>
        client.ReceiveAsync("update", m => m["joined"]?.AsArray().Any(p => p!["id"]!.GetValue<string>() == id) == true);

    [Fact]
    public async Task A_player_hears_of_moves_near_it_and_not_of_moves_far_away()
    {
        await using var server = Server();
        var (alice, welcomeA) = await GameTestClient.JoinAsync(server, "Alice", "view");
        await using var _a = alice;
        var (bob, welcomeB) = await GameTestClient.JoinAsync(server, "Bob", "view");
        await using var _b = bob;
        var (carol, welcomeC) = await GameTestClient.JoinAsync(server, "Carol", "view");
        await using var _c = carol;
        await Task.WhenAll(Joined(alice, Id(welcomeC)), Joined(bob, Id(welcomeC)), Joined(carol, Id(welcomeC)));
        Assert.Equal(300, Int(welcomeA["arena"]!, "view"));
        Assert.Equal((0, 1204, 0), (Int(You(welcomeA), "left"), Int(You(welcomeB), "left"), Int(You(welcomeC), "left")));

        // Bob moves first, and sees his own move (he is near himself), so the server has handled it...
        var bobTop = Int(You(welcomeB), "top") + 10;
        await bob.SendAsync(new { type = "move", left = 1204, top = bobTop, direction = "LEFT", status = "MOVE" });
        await bob.ReceiveAsync("update", m => Listed(m, Id(welcomeB)) is { } me && Int(me, "top") == bobTop);
        // ...then Carol, next to Alice.
        var carolTop = Int(You(welcomeC), "top") - 10;
        await carol.SendAsync(new { type = "move", left = 0, top = carolTop, direction = "RIGHT", status = "MOVE" });

        await alice.ReceiveAsync("update", m => Listed(m, Id(welcomeC)) is { } c && Int(c, "top") == carolTop);
        Assert.DoesNotContain(alice.Received, m => GameTestClient.TypeOf(m) == "update" && Listed(m, Id(welcomeB)) is not null);
        // Nor does Bob hear of Carol's: a tick later he has had every update that could have listed her.
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        await bob.SendAsync(new { type = "move", left = 1204, top = bobTop - 5, direction = "LEFT", status = "MOVE" });
        await bob.ReceiveAsync("update", m => Listed(m, Id(welcomeB)) is { } me && Int(me, "top") == bobTop - 5);
        Assert.DoesNotContain(bob.Received, m => GameTestClient.TypeOf(m) == "update" && Listed(m, Id(welcomeC)) is not null);
    }

    [Fact]
    public async Task A_player_who_walks_near_someone_standing_still_is_told_where_that_one_stands()
    {
        await using var server = Server();
        var (alice, welcomeA) = await GameTestClient.JoinAsync(server, "Alice", "walk");
        await using var _a = alice;
        var (bob, welcomeB) = await GameTestClient.JoinAsync(server, "Bob", "walk");
        await using var _b = bob;
        var top = Int(You(welcomeA), "top");
        await Task.WhenAll(Joined(alice, Id(welcomeB)), Joined(bob, Id(welcomeB)));

        // Two moves of 500 px: from cell 0 to cell 1, then to cell 3, which touches Bob's cell 4.
        await alice.SendAsync(new { type = "move", left = 500, top, direction = "RIGHT", status = "MOVE" });
        await alice.ReceiveAsync("update", m => Listed(m, Id(welcomeA)) is { } me && Int(me, "left") == 500);
        Assert.DoesNotContain(alice.Received, m => GameTestClient.TypeOf(m) == "update" && Listed(m, Id(welcomeB)) is not null);
        await Task.Delay(300); // the speed limit's allowance for the next 500 px
        await alice.SendAsync(new { type = "move", left = 1000, top, direction = "RIGHT", status = "MOVE" });

        // Bob has not moved since he joined, yet Alice's update lists him where he stands.
        var update = await alice.ReceiveAsync("update", m => Listed(m, Id(welcomeB)) is not null);
        var bobThere = Listed(update, Id(welcomeB))!;
        Assert.Equal((1204, Int(You(welcomeB), "top")), (Int(bobThere, "left"), Int(bobThere, "top")));
        Assert.Equal(1000, Int(Listed(update, Id(welcomeA))!, "left"));
        // And Bob hears of Alice's move now that she is near.
        await bob.ReceiveAsync("update", m => Listed(m, Id(welcomeA)) is { } a && Int(a, "left") == 1000);
    }

    [Fact]
    public async Task Joins_and_leaves_reach_the_whole_room_whatever_the_distance()
    {
        await using var server = Server();
        var (alice, _) = await GameTestClient.JoinAsync(server, "Alice", "news");
        await using var _a = alice;
        var (bob, welcomeB) = await GameTestClient.JoinAsync(server, "Bob", "news");

        await Joined(alice, Id(welcomeB));
        await bob.DisposeAsync();
        await alice.ReceiveAsync("update", m => m["left"]?.AsArray().Any(id => id!.GetValue<string>() == Id(welcomeB)) == true);
    }
}
