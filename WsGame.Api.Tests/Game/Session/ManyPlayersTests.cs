using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using WsGame.Api.Game.Session;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Game.Session;

/// <summary>Many players at once on loopback, bounded in count and time, and a clean session after.</summary>
public sealed class ManyPlayersTests
{
    [Fact]
    public async Task Two_hundred_players_join_move_attack_and_leave_leaving_no_player_no_room_and_no_error()
    {
        const int players = 200;
        await using var server = new WsGameServer();
        var session = server.Services.GetRequiredService<GameSession>();

        var everyone = Enumerable.Range(0, players).Select(async i =>
        {
            var (client, welcome) = await GameTestClient.JoinAsync(server, $"bot{i}");
            await using var _ = client;
            var you = welcome["you"]!.AsObject();
            var left = you["left"]!.GetValue<int>();
            var top = you["top"]!.GetValue<int>();
            for (var step = 1; step <= 5; step++)
            {
                await client.SendAsync(new { type = "move", left = left + (step % 2 == 0 ? 3 : -3), top, direction = "LEFT", status = "MOVE" });
                await client.SendAsync(new { type = "attack" });
                await Task.Delay(20);
            }
            await client.SendAsync(new { type = "chat", message = $"gg from {i}" });
            await client.SendAsync(new { type = "leave" });
            await client.ReceiveAsync(where: m => m["code"]?.GetValue<int>() == 0);
            return await client.WaitForCloseAsync();
        });

        var closes = await Task.WhenAll(everyone).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.All(closes, status => Assert.Equal(WebSocketCloseStatus.NormalClosure, status));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((session.ClientCount > 0 || session.Rooms.Count > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(0, session.ClientCount);
        Assert.Empty(session.Rooms);
        Assert.Empty(server.Problems.Errors);
        Assert.True(session.Stats.MessagesIn >= players * 13, $"only {session.Stats.MessagesIn} messages reached the session");
    }
}
