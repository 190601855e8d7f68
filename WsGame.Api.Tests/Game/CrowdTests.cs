using WsGame.Api.Game;

namespace WsGame.Api.Tests.Game;

/// <summary>
/// In a big room the rules look only at the players near a move or an attack (a grid of cells). The
/// outcome must be the same as checking every player: replayed here against <see cref="Arena"/> given
/// the whole room, over many random moves and attacks in a crowd where bodies block each other often.
/// </summary>
public sealed class CrowdTests
{
    [Theory]
    [InlineData(1, 0.25, 48, 64)]
    [InlineData(2, 0.25, 48, 64)]
    [InlineData(3, 2.0, 48, 64)] // a long tolerance: steps longer than a cell
    [InlineData(4, 0.25, 47, 63)] // a body off the whole pixel: edges on half pixels
    public void Moves_and_attacks_end_exactly_as_if_every_player_were_checked(int seed, double toleranceSeconds, int bodyWidth, int bodyHeight)
    {
        var options = GameTestKit.Options(o =>
        {
            o.RoomCapacity = 120;
            o.ArenaWidth = 1200;
            o.ArenaHeight = 1000;
            o.MoveTolerance = TimeSpan.FromSeconds(toleranceSeconds);
            o.AttackCooldown = TimeSpan.Zero;
            (o.BodyWidth, o.BodyHeight) = (bodyWidth, bodyHeight);
        });
        var rules = new RoomRules(options);
        var reference = new Arena(options);
        for (var i = 0; i < options.RoomCapacity; i++)
        {
            rules.Join($"p{i}", $"p{i}", "knight");
        }
        // The reference world: copies of the same players, always checked against the whole room.
        var copies = rules.Players.Select(Copy).ToList();
        var random = new Random(seed);
        var now = TimeSpan.Zero;
        var blocked = 0;

        for (var step = 0; step < 20_000; step++)
        {
            now += TimeSpan.FromMilliseconds(random.Next(0, 60));
            var index = random.Next(copies.Count);
            var player = rules.Players[index];
            var copy = copies[index];
            if (random.NextDouble() < 0.1)
            {
                var hits = rules.Attack(player.Id, now).Hits;
                var expected = reference.Attack(copy, now, copies).Hits;
                Assert.Equal(expected.Select(h => (h.VictimId, h.Energy)), hits.Select(h => (h.VictimId, h.Energy)));
                continue;
            }
            // Mostly towards the nearest other player, so that bodies collide; now and then anywhere.
            var (wantedLeft, wantedTop) = random.NextDouble() < 0.8
                ? Towards(copy, copies, random)
                : (random.Next(-50, options.ArenaWidth + 50), random.Next(-50, options.ArenaHeight + 50));
            var direction = (Direction)random.Next(0, 4);
            var since = copy.LastMoveAt is { } last ? now - last : TimeSpan.Zero;
            copy.LastMoveAt = now;

            var alone = Copy(copy);
            var withoutBodies = reference.Move(alone, wantedLeft, wantedTop, direction, PlayerStatus.MOVE, since, [alone]);
            var result = rules.Move(player.Id, wantedLeft, wantedTop, direction, PlayerStatus.MOVE, now);
            var expectedResult = reference.Move(copy, wantedLeft, wantedTop, direction, PlayerStatus.MOVE, since, copies);

            Assert.Equal(expectedResult, result);
            Assert.Equal((copy.Left, copy.Top, copy.MoveCredit), (player.Left, player.Top, player.MoveCredit));
            blocked += (result.Left, result.Top) != (withoutBodies.Left, withoutBodies.Top) ? 1 : 0;
        }
        Assert.Equal(copies.Select(c => (c.Id, c.Energy, c.KnockedOut)), rules.Players.Select(p => (p.Id, p.Energy, p.KnockedOut)));
        Assert.True(blocked > 100, $"only {blocked} moves were stopped by a body: the crowd is too thin to test them");
    }

    private static PlayerState Copy(PlayerState player) => new(player.Id, player.Name, player.Sprite)
    {
        Slot = player.Slot,
        Left = player.Left,
        Top = player.Top,
        Direction = player.Direction,
        Status = player.Status,
        Energy = player.Energy,
        MoveCredit = player.MoveCredit,
    };

    private static (int Left, int Top) Towards(PlayerState mover, List<PlayerState> everyone, Random random)
    {
        var nearest = everyone.Where(other => other != mover)
            .MinBy(other => Math.Abs(other.Left - mover.Left) + Math.Abs(other.Top - mover.Top))!;
        return (nearest.Left + random.Next(-10, 11), nearest.Top + random.Next(-10, 11));
    }
}
