using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WsGame.Api.Game;
using WsGame.Api.Game.Session;
using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.Game.Session;

/// <summary>Many connections posting to one room at once: nothing lost, and no read loop ever waits on the room.</summary>
public sealed class RoomMailboxTests
{
    [Fact]
    public async Task A_thousand_connections_post_moves_to_one_room_while_it_ticks_and_every_input_is_handled()
    {
        const int players = 1000;
        const int movesEach = 20; // below MaxPendingInputs: a post may never have to wait, however slow the room
        var options = new GameOptions
        {
            RoomCapacity = players, ArenaWidth = 20_000, ArenaHeight = 20_000, ViewDistance = 300,
            MaxSpeed = 1_000_000, MaxPendingInputs = 64,
        };
        var session = new GameSession(Options.Create(options), TimeProvider.System, NullLogger<GameSession>.Instance);
        var handler = new GameHandler(session);
        var connections = Enumerable.Range(1, players)
            .Select(id => new InMemoryConnection(handler, sendQueueLimit: 100_000, clientBufferBytes: 1L << 30, id: id).Connection)
            .ToList();
        foreach (var connection in connections)
        {
            await handler.OnOpenAsync(connection);
            var join = handler.OnMessageAsync(connection, MessageType.Text, Encoding.UTF8.GetBytes("""{"type":"join","name":"bot","room":"crowd"}"""));
            Assert.True(join.IsCompletedSuccessfully);
        }
        var room = session.FindRoom("crowd")!;
        await WaitUntil(() => room.Seats == players, "every join handled");
        var spawn = (await room.QueryAsync()).Players.ToDictionary(seat => seat.Player.Id, seat => (seat.Player.Left, seat.Player.Top));
        var clients = session.Clients.ToDictionary(client => client.Connection);
        var handledBefore = room.InputsHandled;

        using var stop = new CancellationTokenSource();
        var ticks = 0;
        var ticking = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                session.Tick();
                Interlocked.Increment(ref ticks);
                await Task.Delay(5);
            }
        });
        var notCompleted = 0;
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = players }, async (connection, _) =>
        {
            var (left, top) = spawn[clients[connection].PlayerId!];
            for (var move = 1; move <= movesEach; move++)
            {
                var json = $$"""{"type":"move","left":{{Target(left, move)}},"top":{{top}},"direction":"RIGHT","status":"MOVE"}""";
                var tickBefore = Volatile.Read(ref ticks);
                var posted = handler.OnMessageAsync(connection, MessageType.Text, Encoding.UTF8.GetBytes(json));
                if (!posted.IsCompletedSuccessfully)
                {
                    Interlocked.Increment(ref notCompleted);
                    await posted;
                }
                // The next move waits for the next tick: the posting then spans ticks, so they truly run side by side.
                while (Volatile.Read(ref ticks) == tickBefore)
                {
                    await Task.Delay(1);
                }
            }
        });
        await Task.Delay(50);
        stop.Cancel();
        await ticking;

        Assert.Equal(0, notCompleted);
        await WaitUntil(() => room.InputsHandled >= handledBefore + players * movesEach + Volatile.Read(ref ticks), "every move and tick handled");
        Assert.Equal(handledBefore + players * movesEach + ticks, room.InputsHandled);
        var final = await room.QueryAsync();
        Assert.All(final.Players, seat => Assert.Equal(Target(spawn[seat.Player.Id].Left, movesEach), seat.Player.Left));
        Assert.True(ticks > 10, $"only {ticks} ticks ran beside the moves");
    }

    /// <summary>
    /// Where move number <paramref name="move"/> asks to be: up to 10 px towards the arena's middle (away from the
    /// wall, in step with the neighbours of its row, so no body stops it), then staying there.
    /// </summary>
    private static int Target(int spawnLeft, int move) => spawnLeft + (spawnLeft < 10_000 ? 1 : -1) * Math.Min(move, 10);

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }
}
