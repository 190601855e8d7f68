using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WsGame.Api.Game;
using WsGame.Api.Game.Session;
using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.Game.Session;

/// <summary>Chats held while a member is behind keep their order with their sender's leaving.</summary>
public sealed class HeldChatTests
{
    [Fact]
    public async Task Chats_held_for_a_slow_member_still_reach_everyone_when_their_sender_leaves_right_after()
    {
        const int chats = 30;
        var session = new GameSession(Options.Create(new GameOptions { RoomCapacity = 3 }), TimeProvider.System, NullLogger<GameSession>.Instance);
        var handler = new GameHandler(session);
        // The slow member's socket holds about one message and its queue 8: a few chats make it "behind".
        var slow = new InMemoryConnection(handler, sendQueueLimit: 8, clientBufferBytes: 256, id: 1);
        var talker = new InMemoryConnection(handler, sendQueueLimit: 512, clientBufferBytes: 1 << 20, id: 2);
        var other = new InMemoryConnection(handler, sendQueueLimit: 512, clientBufferBytes: 1 << 20, id: 3);
        _ = slow.RunAsync();
        _ = talker.RunAsync();
        _ = other.RunAsync();
        await JoinAsync(session, slow, "Slow");
        await JoinAsync(session, talker, "Talker");
        await JoinAsync(session, other, "Other");
        var heard = new List<string>();
        heard.AddRange(Texts(await other.ReadAvailableAsync(TimeSpan.FromSeconds(2))));

        for (var i = 0; i < chats; i++)
        {
            await talker.SendAsync(Frame($$"""{"type":"chat","message":"c{{i}}"}"""));
        }
        await talker.SendAsync(Frame("""{"type":"leave"}"""));
        var room = session.FindRoom("held-room")!;
        // Every one of the talker's messages read and posted (its join, the chats, the leave), then handled or held
        // by the room: a query is answered in mailbox order, after them.
        await WaitUntil(() => talker.Connection.MessagesIn == chats + 2, "the talker's messages were read");
        await room.QueryAsync();
        // Some chats went out before the slow member fell behind; the rest, and the leave, wait for it.
        heard.AddRange(Texts(await other.ReadAvailableAsync(TimeSpan.FromMilliseconds(300))));
        Assert.DoesNotContain(heard, text => text.Contains("Talker left the chat."));

        // The slow member reads again; the room's turns (its ticks) let the held inputs go, in order.
        for (var turn = 0; turn < 50 && !heard.Any(text => text.Contains("Talker left the chat.")); turn++)
        {
            await slow.ReadAvailableAsync(TimeSpan.FromMilliseconds(50));
            session.Tick();
            heard.AddRange(Texts(await other.ReadAvailableAsync(TimeSpan.FromMilliseconds(50))));
        }

        var said = heard.Where(text => text.Contains("\"type\":\"chat\"")).Select(text => text[(text.IndexOf("\"message\":\"", StringComparison.Ordinal) + 11)..].Split('"')[0]).ToList();
        Assert.Equal(Enumerable.Range(0, chats).Select(i => $"c{i}"), said);
        var leftAt = heard.FindIndex(text => text.Contains("Talker left the chat."));
        Assert.True(leftAt > heard.FindLastIndex(text => text.Contains("\"type\":\"chat\"")), "the leave came before a chat its sender had sent first");
    }

    private static byte[] Frame(string json) => RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(json));

    /// <summary>Whole messages from frames: a numbered one comes as a text fragment and a continuation.</summary>
    private static IEnumerable<string> Texts(List<(Opcode Opcode, string Text)> frames)
    {
        var pending = "";
        foreach (var (opcode, text) in frames)
        {
            if (opcode == Opcode.Text && text.StartsWith("{\"seq\":", StringComparison.Ordinal) && !text.EndsWith('}'))
            {
                pending = text;
                continue;
            }
            if (opcode == Opcode.Continuation)
            {
                yield return pending + text;
                pending = "";
                continue;
            }
            yield return text;
        }
    }

    private static async Task JoinAsync(GameSession session, InMemoryConnection client, string name)
    {
        await client.SendAsync(Frame($$"""{"type":"join","name":"{{name}}","room":"held-room"}"""));
        await WaitUntil(() => session.Clients.Any(c => c.Connection == client.Connection && c.PlayerId is not null), $"{name} joined");
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out: {what}");
            await Task.Delay(10);
        }
    }
}
