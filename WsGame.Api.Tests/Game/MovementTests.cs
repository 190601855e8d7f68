using WsGame.Api.Game;
using static WsGame.Api.Tests.Game.GameTestKit;

namespace WsGame.Api.Tests.Game;

/// <summary>The server clamps where a client says its player went: walls, speed, other bodies.</summary>
public sealed class MovementTests
{
    private static readonly TimeSpan OneFrame = TimeSpan.FromSeconds(1.0 / 60);

    // Default speed 200 px/s and tolerance 0.25 s: at most 50 px in one message.
    private readonly Arena _arena = new(Options());

    // Plenty of allowance, for tests about walls and bodies rather than speed.
    private readonly Arena _unhurried = new(Options(options => options.MoveTolerance = TimeSpan.FromSeconds(10)));

    [Theory]
    [InlineData(10, 150, -5, 150, 0, 150)] // left wall
    [InlineData(400, 150, 410, 150, 404, 150)] // right wall: 500 - 96
    [InlineData(150, 3, 150, -2, 150, 0)] // top wall
    [InlineData(150, 300, 150, 310, 150, 304)] // bottom wall: 400 - 96
    [InlineData(2, 2, -3, -3, 0, 0)] // into a corner
    public void The_sprite_stays_inside_the_arena(int left, int top, int wantedLeft, int wantedTop, int expectedLeft, int expectedTop)
    {
        var mover = Player("a", left, top);

        var result = _unhurried.Move(mover, wantedLeft, wantedTop, Direction.LEFT, PlayerStatus.MOVE, Seconds(1), [mover]);

        Assert.Equal(new MoveResult(expectedLeft, expectedTop, Corrected: true), result);
        Assert.Equal((expectedLeft, expectedTop), (mover.Left, mover.Top));
    }

    [Fact]
    public void Sliding_along_a_wall_keeps_the_free_axis()
    {
        var mover = Player("a", 0, 100);

        var result = _arena.Move(mover, -3, 103, Direction.UP, PlayerStatus.MOVE, OneFrame, [mover]);

        Assert.Equal(new MoveResult(0, 103, Corrected: true), result);
    }

    [Fact]
    public void A_small_move_within_the_speed_limit_is_not_corrected()
    {
        var mover = Player("a", 100, 100);

        // 200 px/s for a 60th of a second is 3.3 px; no credit saved up.
        var result = _arena.Move(mover, 103, 100, Direction.RIGHT, PlayerStatus.MOVE, OneFrame, [mover]);

        Assert.Equal(new MoveResult(103, 100, Corrected: false), result);
        Assert.Equal((Direction.RIGHT, PlayerStatus.MOVE), (mover.Direction, mover.Status));
    }

    [Fact]
    public void A_teleport_attempt_moves_only_as_far_as_the_speed_limit_allows_even_after_a_long_idle()
    {
        var mover = Player("a", 0, 152);
        mover.MoveCredit = _arena.MoveCreditLimit;

        var result = _arena.Move(mover, 404, 152, Direction.RIGHT, PlayerStatus.MOVE, Seconds(60), [mover]);

        Assert.Equal(new MoveResult(50, 152, Corrected: true), result);
    }

    [Fact]
    public void A_diagonal_step_is_shortened_along_its_line_never_beyond_the_limit()
    {
        var mover = Player("a", 0, 0);

        var result = _arena.Move(mover, 300, 300, Direction.DOWN, PlayerStatus.MOVE, Seconds(0.1), [mover]);

        // 20 px allowed: 20 / sqrt(2) = 14.1 on each axis, rounded towards the start.
        Assert.Equal(new MoveResult(14, 14, Corrected: true), result);
    }

    [Fact]
    public void A_steady_client_at_full_speed_and_60_fps_is_never_corrected_even_when_its_messages_bunch_up()
    {
        var room = new RoomRules(Options(options => options.RoomCapacity = 1));
        var player = room.Join("a", "Alice", "knight").Player!;
        var corrections = 0;

        for (int frame = 1; frame <= 120; frame++)
        {
            // The client walks at exactly 200 px/s, whole pixels; every sixth group of frames arrives in a burst.
            int wanted = (int)Math.Round(200.0 * frame / 60);
            var arrival = frame % 12 < 6 ? TimeSpan.FromSeconds(frame / 60.0) : TimeSpan.FromSeconds((frame - frame % 12 + 11) / 60.0);
            var result = room.Move("a", wanted, player.Top, Direction.RIGHT, PlayerStatus.MOVE, arrival);
            corrections += result.Corrected ? 1 : 0;
        }

        Assert.Equal(0, corrections);
        Assert.Equal(400, player.Left);
    }

    [Fact]
    public void A_client_running_too_fast_is_held_to_the_speed_limit_over_time()
    {
        var room = new RoomRules(Options(options => options.RoomCapacity = 1));
        var player = room.Join("a", "Alice", "knight").Player!;

        for (int frame = 1; frame <= 60; frame++)
        {
            // Asks for 10 px a frame (600 px/s) for one second.
            room.Move("a", player.Left + 10, player.Top, Direction.RIGHT, PlayerStatus.MOVE, TimeSpan.FromSeconds(frame / 60.0));
        }

        // One second at 200 px/s (the first frame counts as no time), plus the 50 px tolerance it started with.
        Assert.InRange(player.Left, 240, 250);
    }

    [Fact]
    public void Walking_into_a_body_head_on_stops_at_contact()
    {
        var mover = Player("a", 100, 150);
        var other = Player("b", 250, 150); // bodies: 124..172 and 274..322

        var result = _unhurried.Move(mover, 230, 150, Direction.RIGHT, PlayerStatus.MOVE, Seconds(1), [mover, other]);

        Assert.Equal(new MoveResult(202, 150, Corrected: true), result); // body right edge at 274
    }

    [Theory]
    [InlineData(100, 150, 400, 150, 250, 150, 202, 150)] // rightwards past it
    [InlineData(400, 150, 0, 150, 250, 150, 298, 150)] // leftwards past it
    [InlineData(150, 10, 150, 300, 150, 200, 150, 136)] // downwards past it
    [InlineData(150, 300, 150, 0, 150, 100, 150, 164)] // upwards past it
    public void A_player_cannot_pass_through_a_body_however_long_the_step(
        int left, int top, int wantedLeft, int wantedTop, int otherLeft, int otherTop, int expectedLeft, int expectedTop)
    {
        var mover = Player("a", left, top);
        var other = Player("b", otherLeft, otherTop);

        var result = _unhurried.Move(mover, wantedLeft, wantedTop, Direction.RIGHT, PlayerStatus.MOVE, Seconds(5), [mover, other]);

        Assert.Equal((expectedLeft, expectedTop), (result.Left, result.Top));
        Assert.False(_unhurried.BodyOf(mover).Intersects(_unhurried.BodyOf(other)));
    }

    [Fact]
    public void Walking_diagonally_into_a_body_slides_along_its_side()
    {
        var mover = Player("a", 100, 150);
        var other = Player("b", 250, 150);

        var result = _unhurried.Move(mover, 300, 250, Direction.RIGHT, PlayerStatus.MOVE, Seconds(5), [mover, other]);

        Assert.Equal(new MoveResult(202, 250, Corrected: true), result); // x stopped at contact, y went on
    }

    [Fact]
    public void Walking_diagonally_onto_a_body_from_above_slides_along_its_top()
    {
        var mover = Player("a", 250, 20);
        var other = Player("b", 250, 150); // body top at 182

        var result = _unhurried.Move(mover, 280, 150, Direction.DOWN, PlayerStatus.MOVE, Seconds(1), [mover, other]);

        Assert.Equal(new MoveResult(280, 86, Corrected: true), result); // body bottom at 182
    }

    [Fact]
    public void Walking_past_a_body_without_touching_it_is_not_corrected()
    {
        var mover = Player("a", 100, 20);
        var other = Player("b", 150, 150); // body y 182..246; the mover's body ends at 116 + 3

        var result = _arena.Move(mover, 103, 23, Direction.RIGHT, PlayerStatus.MOVE, Seconds(0.05), [mover, other]);

        Assert.Equal(new MoveResult(103, 23, Corrected: false), result);
    }

    [Fact]
    public void A_knocked_out_body_is_no_obstacle()
    {
        var mover = Player("a", 100, 150);
        var fallen = Player("b", 150, 150);
        fallen.KnockedOut = true;

        var result = _unhurried.Move(mover, 200, 150, Direction.RIGHT, PlayerStatus.MOVE, Seconds(1), [mover, fallen]);

        Assert.Equal(new MoveResult(200, 150, Corrected: false), result);
    }

    [Fact]
    public void Players_already_overlapping_can_walk_apart()
    {
        var mover = Player("a", 100, 150);
        var other = Player("b", 110, 150);

        var result = _unhurried.Move(mover, 40, 150, Direction.LEFT, PlayerStatus.MOVE, Seconds(1), [mover, other]);

        Assert.Equal(new MoveResult(40, 150, Corrected: false), result);
    }

    [Fact]
    public void A_knocked_out_player_cannot_move()
    {
        var mover = Player("a", 100, 150, Direction.LEFT);
        mover.KnockedOut = true;

        var result = _unhurried.Move(mover, 110, 150, Direction.RIGHT, PlayerStatus.MOVE, Seconds(1), [mover]);

        Assert.Equal(new MoveResult(100, 150, Corrected: true, MoveRefusal.KnockedOut), result);
        Assert.Equal((100, 150, Direction.LEFT), (mover.Left, mover.Top, mover.Direction));
    }

    [Fact]
    public void A_move_cannot_claim_the_attack_status()
    {
        var mover = Player("a", 100, 150);

        _arena.Move(mover, 100, 150, Direction.UP, PlayerStatus.ATTACK, OneFrame, [mover]);

        Assert.Equal((Direction.UP, PlayerStatus.STAY), (mover.Direction, mover.Status));
    }
}
