using System.Net.WebSockets;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Game.Session;

/// <summary>One member flooding chat slows itself, not its room: nobody else is disconnected and nothing is lost.</summary>
public sealed class ChatFloodTests
{
    [Fact]
    public async Task One_member_flooding_chat_in_a_room_of_ten_disconnects_nobody_and_every_chat_reaches_everyone_in_order()
    {
        const int members = 10;
        const int chats = 3000;
        await using var server = new WsGameServer(new Dictionary<string, string?>
        {
            ["WsGame:Game:RoomCapacity"] = $"{members}",
            ["WsGame:Game:ArenaWidth"] = "2000",
            ["WsGame:Game:ArenaHeight"] = "2000",
            ["WsGame:WebSockets:SendQueueLimit"] = "64", // small, so a room that overfilled queues would show it at once
        });
        var room = $"flood-{Guid.NewGuid():N}"[..24];
        var clients = new List<GameTestClient>();
        for (var i = 0; i < members; i++)
        {
            clients.Add((await GameTestClient.JoinAsync(server, $"m{i}", room)).Client);
        }
        await clients[0].ReceiveAsync("status", m => m["message"]!.GetValue<string>() == $"m{members - 1} joined the chat.");
        var flooder = clients[0];
        var last = $"flood {chats - 1}";

        // Everyone reads as fast as it can while the flooder writes as fast as its socket takes it.
        var readers = clients.Select(client => client.ReceiveAsync("chat", m => m["message"]!.GetValue<string>() == last, TimeSpan.FromSeconds(60))).ToList();
        for (var i = 0; i < chats; i++)
        {
            await flooder.SendAsync(new { type = "chat", message = $"flood {i}" });
        }
        await Task.WhenAll(readers);

        foreach (var client in clients)
        {
            Assert.Equal(WebSocketState.Open, client.State);
            var floodChats = client.Received.Where(m => GameTestClient.TypeOf(m) == "chat").Select(m => m["message"]!.GetValue<string>()).ToList();
            Assert.Equal(Enumerable.Range(0, chats).Select(i => $"flood {i}"), floodChats);
            Assert.Equal(Enumerable.Range(1, client.Seqs.Count).Select(i => (long)i), client.Seqs);
        }
        Assert.DoesNotContain(server.Problems.Events, entry => entry.Message.Contains("queue", StringComparison.OrdinalIgnoreCase));
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}
