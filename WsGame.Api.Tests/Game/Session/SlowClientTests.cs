using Microsoft.Extensions.Options;
using WsGame.Api.Game;
using WsGame.Api.Game.Session;
using Microsoft.Extensions.Logging.Abstractions;
using WsGame.Api.Game.Rooms;
using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.Game.Session;

/// <summary>A player whose client stops reading must not stall the room; it catches up with a snapshot.</summary>
public sealed class SlowClientTests
{
    [Fact]
    public async Task A_client_that_falls_behind_skips_updates_then_gets_a_snapshot_and_the_others_get_every_update()
    {
        var session = new GameSession(Options.Create(new GameOptions { MaxSpeed = 1_000_000 }), TimeProvider.System, NullLogger<GameSession>.Instance);
        var handler = new GameHandler(session);
        // The slow client's socket buffer holds about one update; its send queue 8 messages.
        var slow = new InMemoryConnection(handler, sendQueueLimit: 8, clientBufferBytes: 256, id: 1);
        var fast = new InMemoryConnection(handler, sendQueueLimit: 8, clientBufferBytes: 1 << 20, id: 2);
        _ = slow.RunAsync();
        _ = fast.RunAsync();
        await JoinAsync(session, slow, "Slow");
        await JoinAsync(session, fast, "Fast");
        await fast.ReadAvailableAsync(TimeSpan.FromSeconds(5));

        var mover = session.Clients.Single(c => c.Connection == fast.Connection);
        var me = (await mover.Room!.QueryAsync()).Players.Single(seat => seat.Player.Name == "Fast").Player;
        var home = me.Left;
        var fastUpdates = 0;
        const int ticks = 40;
        for (var tick = 0; tick < ticks; tick++)
        {
            // Posted straight to the room, in order with the tick, so each tick sees exactly one move.
            mover.Room!.Post(mover, RoomInput.Move(mover.Key, session.Now, home - tick % 2 * 4, me.Top, Direction.RIGHT, PlayerStatus.MOVE));
            session.Tick();
            fastUpdates += (await fast.ReadAvailableAsync(TimeSpan.FromSeconds(2))).Count(f => f.Text.Contains("\"type\":\"update\""));
        }

        // Every tick changed something, so the reading client got an update each time.
        Assert.Equal(ticks, fastUpdates);
        Assert.True(slow.Connection.QueuedMessages <= slow.Connection.SendQueueLimit, "the slow client's queue grew past its bound");
        Assert.Equal(WsGame.Api.WebSockets.Connection.ConnectionState.Open, slow.Connection.State);

        // The slow client reads again: it catches up and then gets the whole room at once.
        var caughtUp = new List<(Opcode Opcode, string Text)>();
        for (var tick = 0; tick < 20 && !caughtUp.Any(f => f.Text.Contains("\"type\":\"snapshot\"")); tick++)
        {
            caughtUp.AddRange(await slow.ReadAvailableAsync(TimeSpan.FromMilliseconds(200)));
            mover.Room!.Post(mover, RoomInput.Move(mover.Key, session.Now, home - 8 - tick % 2 * 4, me.Top, Direction.RIGHT, PlayerStatus.MOVE));
            session.Tick();
        }
        caughtUp.AddRange(await slow.ReadAvailableAsync(TimeSpan.FromMilliseconds(200)));

        var slowUpdates = caughtUp.Count(f => f.Text.Contains("\"type\":\"update\""));
        Assert.Contains(caughtUp, f => f.Text.Contains("\"type\":\"snapshot\"") && f.Text.Contains("\"name\":\"Fast\""));
        Assert.True(slowUpdates < ticks, $"the slow client got {slowUpdates} updates: nothing was skipped");
    }

    private static async Task JoinAsync(GameSession session, InMemoryConnection client, string name)
    {
        await client.SendAsync(RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, System.Text.Encoding.UTF8.GetBytes($$"""{"type":"join","name":"{{name}}","room":"slow-room"}""")));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!session.Clients.Any(c => c.Connection == client.Connection && c.PlayerId is not null))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{name} did not join");
            await Task.Delay(10);
        }
    }
}
