using WsGame.Api.Game;
using static WsGame.Api.Tests.Game.GameTestKit;

namespace WsGame.Api.Tests.Game;

/// <summary>Rounds: knock-outs decide them, rematches restart them, departures forfeit them.</summary>
public sealed class RoundTests
{
    [Fact]
    public void A_lone_player_waits_and_cannot_attack_until_a_second_one_joins()
    {
        var room = new RoomRules(Options());
        var first = room.Join("a", "Alice", "knight");

        Assert.Equal((RoundPhase.Waiting, 0, false), (room.Phase, room.Round, first.RoundStarted));
        Assert.Equal(AttackRefusal.WaitingForPlayers, room.Attack("a", Seconds(1)).Refusal);

        var second = room.Join("b", "Bob", "ninja");

        Assert.Equal((RoundPhase.Live, 1, true), (room.Phase, room.Round, second.RoundStarted));
        Assert.Equal(
            [new PlayerSnapshot("a", "Alice", "knight", 0, 0, 152, Direction.RIGHT, PlayerStatus.STAY, 30, 0, false),
             new PlayerSnapshot("b", "Bob", "ninja", 1, 404, 152, Direction.LEFT, PlayerStatus.STAY, 30, 0, false)],
            room.Snapshot());
    }

    [Fact]
    public void Knocking_out_the_opponent_ends_the_duel_with_a_winner_and_a_loser()
    {
        var (room, a, b) = Duel(options => options.MaxEnergy = 3);
        FaceToFace(room, a, b);

        var first = room.Attack("a", Seconds(1));
        room.Attack("a", Seconds(2));
        var last = room.Attack("a", Seconds(3));

        Assert.Equal([new Hit("b", 2, false)], first.Hits);
        Assert.Null(first.RoundEnded);
        Assert.Equal([new Hit("b", 0, true)], last.Hits);
        Assert.Equal(new RoundEnd(1, "a", last.RoundEnded!.LoserIds, RoundEndReason.KnockOut, WinCounted: true), last.RoundEnded);
        Assert.Equal(["b"], last.RoundEnded.LoserIds);
        Assert.Equal((RoundPhase.Over, 1, 0), (room.Phase, a.Wins, b.Wins));
    }

    [Fact]
    public void After_the_round_ends_nobody_can_attack_and_the_loser_cannot_move()
    {
        var (room, a, b) = Duel(options => options.MaxEnergy = 1);
        FaceToFace(room, a, b);
        room.Attack("a", Seconds(1));

        Assert.Equal(AttackRefusal.RoundOver, room.Attack("a", Seconds(5)).Refusal);
        Assert.Equal(AttackRefusal.KnockedOut, room.Attack("b", Seconds(5)).Refusal);
        Assert.Equal(MoveRefusal.KnockedOut, room.Move("b", 150, 150, Direction.LEFT, PlayerStatus.MOVE, Seconds(5)).Refusal);
        Assert.False(room.Move("a", 90, 150, Direction.LEFT, PlayerStatus.MOVE, Seconds(5)).Refused); // the winner may walk about
    }

    [Fact]
    public void A_rematch_needs_every_player_and_then_resets_energy_positions_and_cooldowns()
    {
        var (room, a, b) = Duel(options => options.MaxEnergy = 2);
        FaceToFace(room, a, b);
        room.Attack("a", Seconds(1));
        room.Attack("a", Seconds(2));

        var firstAsk = room.Rematch("b");
        var askedTwice = room.Rematch("b");

        Assert.Equal((true, false), (firstAsk.Accepted, firstAsk.RoundStarted));
        Assert.Equal(["a"], firstAsk.WaitingFor);
        Assert.Equal((true, false), (askedTwice.Accepted, askedTwice.RoundStarted));
        Assert.Equal(RoundPhase.Over, room.Phase);

        var lastAsk = room.Rematch("a");

        Assert.Equal((true, true), (lastAsk.Accepted, lastAsk.RoundStarted));
        Assert.Empty(lastAsk.WaitingFor);
        Assert.Equal((RoundPhase.Live, 2), (room.Phase, room.Round));
        Assert.Equal(
            [new PlayerSnapshot("a", "Alice", "knight", 0, 0, 152, Direction.RIGHT, PlayerStatus.STAY, 2, 1, false),
             new PlayerSnapshot("b", "Bob", "ninja", 1, 404, 152, Direction.LEFT, PlayerStatus.STAY, 2, 0, false)],
            room.Snapshot());

        FaceToFace(room, a, b);
        Assert.True(room.Attack("a", Seconds(2)).Accepted); // the cooldown from round 1 is gone
    }

    [Fact]
    public void A_rematch_is_refused_while_the_round_is_live()
    {
        var (room, _, _) = Duel();

        var result = room.Rematch("a");

        Assert.Equal(RematchRefusal.RoundNotOver, result.Refusal);
        Assert.False(room.Players[0].WantsRematch);
    }

    [Fact]
    public void In_an_arena_each_knock_out_is_reported_and_the_last_one_standing_wins()
    {
        var room = new RoomRules(Options(options => (options.RoomCapacity, options.MaxEnergy) = (3, 1)));
        var a = room.Join("a", "Alice", "knight").Player!;
        var b = room.Join("b", "Bob", "ninja").Player!;
        var c = room.Join("c", "Cy", "mage").Player!;
        FaceToFace(room, a, b);

        var first = room.Attack("a", Seconds(1));

        Assert.Equal(["b"], first.KnockedOut);
        Assert.Null(first.RoundEnded);
        Assert.Equal(RoundPhase.Live, room.Phase);

        FaceToFace(room, a, c);
        var second = room.Attack("a", Seconds(2));

        Assert.Equal(["c"], second.KnockedOut);
        Assert.Equal(("a", RoundEndReason.KnockOut), (second.RoundEnded!.WinnerId, second.RoundEnded.Reason));
        Assert.Equal(["c"], second.RoundEnded.LoserIds);
        Assert.Equal(1, a.Wins);
    }

    [Fact]
    public void Leaving_a_live_duel_forfeits_it_to_the_other_player_without_counting_a_win()
    {
        var (room, a, _) = Duel();

        var result = room.Leave("b");

        Assert.True(result.Removed);
        Assert.Equal(new RoundEnd(1, "a", result.RoundEnded!.LoserIds, RoundEndReason.Left, WinCounted: false), result.RoundEnded);
        Assert.Equal(["b"], result.RoundEnded.LoserIds);
        Assert.Equal(0, a.Wins);
        Assert.Equal(RoundPhase.Waiting, room.Phase);
    }

    [Fact]
    public void After_a_forfeit_the_next_player_to_join_starts_a_fresh_round()
    {
        var (room, a, b) = Duel(options => options.MaxEnergy = 5);
        FaceToFace(room, a, b);
        room.Attack("b", Seconds(1)); // b still faces LEFT, as it spawned, and hits a
        room.Leave("b");

        var joined = room.Join("c", "Cy", "mage");

        Assert.True(joined.RoundStarted);
        Assert.Equal((RoundPhase.Live, 2, 1), (room.Phase, room.Round, joined.Player!.Slot));
        Assert.Equal((5, 0, 152), (a.Energy, a.Left, a.Top));
    }

    [Fact]
    public void Leaving_an_arena_while_two_still_stand_does_not_end_the_round()
    {
        var room = new RoomRules(Options(options => options.RoomCapacity = 3));
        room.Join("a", "Alice", "knight");
        room.Join("b", "Bob", "ninja");
        room.Join("c", "Cy", "mage");

        var result = room.Leave("c");

        Assert.Equal(new LeaveResult(true, null, false), result);
        Assert.Equal(RoundPhase.Live, room.Phase);
    }

    [Fact]
    public void The_last_player_a_rematch_waited_on_leaving_starts_it()
    {
        var room = new RoomRules(Options(options => (options.RoomCapacity, options.MaxEnergy) = (3, 1)));
        var a = room.Join("a", "Alice", "knight").Player!;
        var b = room.Join("b", "Bob", "ninja").Player!;
        var c = room.Join("c", "Cy", "mage").Player!;
        FaceToFace(room, a, b);
        room.Attack("a", Seconds(1));
        FaceToFace(room, a, c);
        room.Attack("a", Seconds(2));
        room.Rematch("a");
        room.Rematch("b");

        var result = room.Leave("c");

        Assert.Equal(new LeaveResult(true, null, true), result);
        Assert.Equal((RoundPhase.Live, 2), (room.Phase, room.Round));
        Assert.False(b.KnockedOut);
    }

    [Fact]
    public void A_player_leaving_frees_its_slot_for_the_next()
    {
        var (room, _, _) = Duel();
        room.Leave("a");

        var joined = room.Join("c", "Cy", "mage");

        Assert.Equal(0, joined.Player!.Slot);
        Assert.Equal(["c", "b"], room.Players.Select(player => player.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("seventeen chars!!")]
    [InlineData("tab\there")]
    public void A_name_that_is_blank_too_long_or_has_control_characters_is_refused(string name)
    {
        var room = new RoomRules(Options());

        Assert.Equal(JoinRefusal.InvalidName, room.Join("a", name, "knight").Refusal);
        Assert.Empty(room.Players);
    }

    [Fact]
    public void A_name_is_trimmed_and_counted_in_characters_not_utf16_units()
    {
        var room = new RoomRules(Options());
        string sixteenEmoji = string.Concat(Enumerable.Repeat("\U0001F642", 16));

        Assert.Equal("Alice", room.Join("a", "  Alice ", "knight").Player!.Name);
        Assert.Equal(sixteenEmoji, room.Join("b", sixteenEmoji, "knight").Player!.Name);
    }

    [Fact]
    public void A_full_room_and_a_duplicate_id_are_refused()
    {
        var (room, _, _) = Duel();

        Assert.Equal(JoinRefusal.DuplicateId, room.Join("a", "Again", "knight").Refusal);
        Assert.Equal(JoinRefusal.RoomFull, room.Join("c", "Cy", "mage").Refusal);
        Assert.Equal(2, room.Players.Count);
    }

    [Fact]
    public void Unknown_players_are_refused_rather_than_thrown_at()
    {
        var (room, _, _) = Duel();

        Assert.Equal(MoveRefusal.UnknownPlayer, room.Move("x", 1, 1, Direction.UP, PlayerStatus.MOVE, Seconds(1)).Refusal);
        Assert.Equal(AttackRefusal.UnknownPlayer, room.Attack("x", Seconds(1)).Refusal);
        Assert.Equal(RematchRefusal.UnknownPlayer, room.Rematch("x").Refusal);
        Assert.False(room.Leave("x").Removed);
    }
}
