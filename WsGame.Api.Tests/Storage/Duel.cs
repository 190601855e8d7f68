using System.Text.Json.Nodes;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Storage;

/// <summary>Two players over real sockets in one room, and the moves and attacks of a knock-out.</summary>
internal sealed class Duel : IAsyncDisposable
{
    private Duel(GameTestClient a, JsonObject welcomeA, GameTestClient b, JsonObject welcomeB)
    {
        (A, WelcomeA, B, WelcomeB) = (a, welcomeA, b, welcomeB);
    }

    public GameTestClient A { get; }

    public JsonObject WelcomeA { get; }

    public GameTestClient B { get; }

    public JsonObject WelcomeB { get; }

    /// <summary>The settings a quick knock-out needs: little energy, a short cooldown, no speed limit to walk over.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["WsGame:Game:MaxEnergy"] = "3",
        ["WsGame:Game:AttackCooldown"] = "00:00:00.050",
        ["WsGame:Game:MaxSpeed"] = "100000",
    };

    public static async Task<Duel> StartAsync(Uri ws, string nameA, string nameB, string? profileA = null, string? profileB = null)
    {
        var room = $"r{Guid.NewGuid():N}"[..24];
        var (a, welcomeA) = await GameTestClient.JoinAsync(ws, nameA, room, profile: profileA);
        var (b, welcomeB) = await GameTestClient.JoinAsync(ws, nameB, room, profile: profileB);
        await a.ReceiveAsync("round");
        return new Duel(a, welcomeA, b, welcomeB);
    }

    public static string Token(JsonObject welcome) => welcome["profile"]!["token"]!.GetValue<string>();

    public static string ProfileId(JsonObject welcome) => welcome["profile"]!["id"]!.GetValue<string>();

    /// <summary>A walks into B and hits until B is down; returns the ko message as B got it.</summary>
    public async Task<JsonObject> KnockOutAsync()
    {
        var round = A.Received.Last(m => GameTestClient.TypeOf(m) == "round");
        var players = round["players"]!.AsArray();
        var me = players.Single(p => p!["id"]!.GetValue<string>() == WelcomeA["id"]!.GetValue<string>())!;
        var them = players.Single(p => p!["id"]!.GetValue<string>() == WelcomeB["id"]!.GetValue<string>())!;
        var facing = me["left"]!.GetValue<int>() < them["left"]!.GetValue<int>() ? "RIGHT" : "LEFT";
        await A.SendAsync(new { type = "move", left = them["left"]!.GetValue<int>(), top = them["top"]!.GetValue<int>(), direction = facing, status = "MOVE" });
        await A.ReceiveAsync("correction");
        for (var i = 0; i < 3; i++)
        {
            await A.SendAsync(new { type = "attack" });
            await Task.Delay(80);
        }
        return await B.ReceiveAsync("ko");
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
