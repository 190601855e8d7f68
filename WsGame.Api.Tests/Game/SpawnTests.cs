using WsGame.Api.Game;
using static WsGame.Api.Tests.Game.GameTestKit;

namespace WsGame.Api.Tests.Game;

/// <summary>Where each slot of a room starts a round.</summary>
public sealed class SpawnTests
{
    [Fact]
    public void A_duel_starts_face_to_face_at_the_left_and_right_walls()
    {
        var spawns = new Arena(Options()).SpawnPoints;

        Assert.Equal([new SpawnPoint(0, 152, Direction.RIGHT), new SpawnPoint(404, 152, Direction.LEFT)], spawns);
    }

    [Theory]
    [InlineData(500, 400)]
    [InlineData(1200, 800)]
    [InlineData(200, 1000)]
    public void Every_room_size_spawns_inside_the_arena_without_bodies_overlapping(int width, int height)
    {
        var probe = Options(options => (options.ArenaWidth, options.ArenaHeight) = (width, height));
        int maxSlots = SpawnLayout.MaxSlots(probe);
        Assert.True(maxSlots >= 2);

        for (int capacity = 1; capacity <= maxSlots; capacity++)
        {
            var options = Options(options => (options.ArenaWidth, options.ArenaHeight, options.RoomCapacity) = (width, height, capacity));
            var arena = new Arena(options);
            var spawns = arena.SpawnPoints;

            Assert.Equal(capacity, spawns.Count);
            for (int slot = 0; slot < capacity; slot++)
            {
                var spawn = spawns[slot];
                Assert.InRange(spawn.Left, 0, width - options.SpriteSize);
                Assert.InRange(spawn.Top, 0, height - options.SpriteSize);
                Assert.Equal(slot % 2 == 0 ? Direction.RIGHT : Direction.LEFT, spawn.Facing);
                for (int other = 0; other < slot; other++)
                {
                    Assert.False(arena.BodyAt(spawn.Left, spawn.Top).Intersects(arena.BodyAt(spawns[other].Left, spawns[other].Top)),
                        $"capacity {capacity}: slots {other} and {slot} overlap");
                }
            }
        }
    }

    [Fact]
    public void Left_slots_stand_left_of_right_slots_facing_them()
    {
        var spawns = new Arena(Options(options => options.RoomCapacity = 10)).SpawnPoints;

        int rightmostOfLeft = spawns.Where(spawn => spawn.Facing == Direction.RIGHT).Max(spawn => spawn.Left);
        int leftmostOfRight = spawns.Where(spawn => spawn.Facing == Direction.LEFT).Min(spawn => spawn.Left);
        Assert.True(rightmostOfLeft < leftmostOfRight);
    }

    [Fact]
    public void The_layout_is_the_same_every_time()
    {
        var options = Options(options => options.RoomCapacity = 17);

        Assert.Equal(new Arena(options).SpawnPoints, new Arena(options).SpawnPoints);
    }
}
