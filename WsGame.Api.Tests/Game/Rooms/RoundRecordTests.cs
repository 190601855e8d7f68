using WsGame.Api.Game;
using WsGame.Api.Game.Results;
using WsGame.Api.Game.Rooms;

namespace WsGame.Api.Tests.Game.Rooms;

/// <summary>What a room reports of each round that ends: players, winner, reason, hits, energy and ratings.</summary>
public sealed class RoundRecordTests
{
    private static readonly GameOptions Options = new() { MaxEnergy = 2, AttackCooldown = TimeSpan.FromMilliseconds(10), MaxSpeed = 100_000 };

    private readonly RoomOutbox _outbox = new();
    private readonly RoomCore _room = new("dojo", isPublic: false, Options);
    private readonly List<MatchResult> _matches = [];
    private readonly List<string> _knockOuts = [];
    private TimeSpan _now = TimeSpan.FromSeconds(5);

    private void Step(RoomInput input)
    {
        _room.Step(input, _outbox);
        _matches.AddRange(_outbox.Matches);
        _knockOuts.AddRange(_outbox.Messages.OfType<KnockOutMessage>().Select(RoomHarness.Json));
        _outbox.Clear();
    }

    private void Join(long connection, string id, PlayerProfile? profile) =>
        Step(RoomInput.Join(connection, _now, id, $"name{id}", "ninja", $"t{id}", profile));

    private void FaceAndKnockOut()
    {
        var a = _room.Rules.Find("1")!;
        var b = _room.Rules.Find("2")!;
        Step(RoomInput.Move(1, _now, b.Left, b.Top, a.Left < b.Left ? Direction.RIGHT : Direction.LEFT, PlayerStatus.MOVE));
        for (var i = 0; i < Options.MaxEnergy; i++)
        {
            _now += TimeSpan.FromMilliseconds(50);
            Step(RoomInput.Attack(1, _now));
        }
    }

    [Fact]
    public void A_knock_out_is_reported_once_with_both_players_their_hits_energy_and_rating_changes()
    {
        Join(1, "1", new PlayerProfile("pa", "ta", 1200, 0, 0));
        _now += TimeSpan.FromSeconds(1);
        Join(2, "2", new PlayerProfile("pb", "tb", 1200, 3, 1));
        var started = _now;
        _now += TimeSpan.FromSeconds(2);
        FaceAndKnockOut();

        var match = Assert.Single(_matches);
        Assert.Equal("dojo", match.Room);
        Assert.Equal(1, match.Round);
        Assert.Equal(RoundEndReason.KnockOut, match.Reason);
        Assert.Equal(started, match.StartedAt);
        Assert.Equal(_now, match.EndedAt);
        Assert.Equal("pa", match.WinningPlayer!.Profile!.Id);
        Assert.Equal(["1", "2"], match.Players.Select(p => p.PlayerId));
        Assert.Equal([Options.MaxEnergy, 0], match.Players.Select(p => p.HitsDealt));
        Assert.Equal([Options.MaxEnergy, 0], match.Players.Select(p => p.EnergyLeft));
        Assert.Equal([16, -16], match.Players.Select(p => p.RatingChange));
        Assert.Equal(["ninja", "ninja"], match.Players.Select(p => p.Sprite));
    }

    [Fact]
    public void The_next_round_is_scored_from_the_new_ratings_and_the_ko_message_tells_each_change()
    {
        Join(1, "1", new PlayerProfile("pa", "ta", 1200, 0, 0));
        Join(2, "2", new PlayerProfile("pb", "tb", 1200, 0, 0));
        FaceAndKnockOut();
        Assert.Equal(new PlayerProfile("pa", "ta", 1216, 1, 0), _room.MemberOf(1)!.Profile);
        Assert.Equal(new PlayerProfile("pb", "tb", 1184, 0, 1), _room.MemberOf(2)!.Profile);

        Step(RoomInput.Tick(_now, 1));
        var ko = Assert.Single(_knockOuts);
        Assert.Contains("\"ratings\":[{\"id\":\"1\",\"profileId\":\"pa\",\"change\":16,\"rating\":1216},{\"id\":\"2\",\"profileId\":\"pb\",\"change\":-16,\"rating\":1184}]", ko);
        Step(RoomInput.Rematch(1, _now));
        Step(RoomInput.Rematch(2, _now));
        FaceAndKnockOut();
        Assert.Equal(2, _matches.Count);
        Assert.Equal([15, -15], _matches[1].Players.Select(p => p.RatingChange)); // 32 * (1 - E(1216 vs 1184)) = 14.5
        Assert.Equal(0, _matches[1].Players[1].HitsDealt); // hits are counted per round
    }

    [Fact]
    public void A_round_ended_by_leaving_is_recorded_with_the_leaver_and_no_winner_or_rating_change()
    {
        Join(1, "1", new PlayerProfile("pa", "ta", 1250, 0, 0));
        Join(2, "2", new PlayerProfile("pb", "tb", 1200, 0, 0));
        Step(RoomInput.Leave(2, _now));

        var match = Assert.Single(_matches);
        Assert.Equal(RoundEndReason.Left, match.Reason);
        Assert.Equal(-1, match.Winner);
        Assert.Null(match.WinningPlayer);
        Assert.Equal(["1", "2"], match.Players.Select(p => p.PlayerId));
        Assert.All(match.Players, p => Assert.Equal(0, p.RatingChange));
    }

    [Fact]
    public void A_forfeit_counts_as_a_win_for_the_one_who_stayed()
    {
        Join(1, "1", new PlayerProfile("pa", "ta", 1200, 0, 0));
        Join(2, "2", new PlayerProfile("pb", "tb", 1200, 0, 0));
        Step(RoomInput.Disconnect(2, _now, consented: false));
        Assert.Empty(_matches);
        _now += Options.ReconnectGrace;
        Step(RoomInput.Tick(_now, 1));

        var match = Assert.Single(_matches);
        Assert.Equal(RoundEndReason.Forfeit, match.Reason);
        Assert.Equal("1", match.WinningPlayer!.PlayerId);
        Assert.Equal([16, -16], match.Players.Select(p => p.RatingChange));
    }

    [Fact]
    public void Players_without_a_profile_are_scored_from_the_start_rating()
    {
        Join(1, "1", profile: null);
        Join(2, "2", profile: null);
        FaceAndKnockOut();
        var match = Assert.Single(_matches);
        Assert.Equal([16, -16], match.Players.Select(p => p.RatingChange));
        Assert.All(match.Players, p => Assert.Null(p.Profile));
    }
}
