using WsGame.Api.Game.Results;

namespace WsGame.Api.Tests.Game.Results;

public sealed class EloTests
{
    [Fact]
    public void Equal_players_win_and_lose_half_of_K()
    {
        Assert.Equal([16, -16], Elo.Changes([1200, 1200], ["a", "b"], winner: 0));
        Assert.Equal([-16, 16], Elo.Changes([1200, 1200], ["a", "b"], winner: 1));
    }

    [Fact]
    public void Beating_a_stronger_player_is_worth_more_than_beating_a_weaker_one()
    {
        var upset = Elo.Changes([1200, 1400], ["a", "b"], winner: 0);
        var expected = Elo.Changes([1400, 1200], ["a", "b"], winner: 0);
        Assert.Equal([24, -24], upset); // 32 * (1 - 1 / (1 + 10^0.5)) = 24.3
        Assert.Equal([8, -8], expected);
    }

    [Fact]
    public void No_winner_changes_nothing()
    {
        Assert.Equal([0, 0], Elo.Changes([1300, 1100], ["a", "b"], winner: -1));
    }

    [Fact]
    public void A_profile_is_not_rated_against_itself()
    {
        Assert.Equal([0, 0], Elo.Changes([1200, 1200], ["same", "same"], winner: 0));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void An_arena_round_shares_K_among_the_winners_pairs_and_sums_to_zero(int players)
    {
        var ratings = Enumerable.Range(0, players).Select(i => 1100 + 50 * i).ToArray();
        var changes = Elo.Changes(ratings, [.. Enumerable.Range(0, players).Select(i => $"p{i}")], winner: 0);
        Assert.Equal(0, changes.Sum());
        Assert.All(changes.Skip(1), change => Assert.True(change < 0));
        Assert.InRange(changes[0], 1, Elo.K);
    }
}
