namespace WsGame.Api.Game.Results;

/// <summary>
/// Elo ratings (start 1200, K = 32): a win over a stronger player is worth more than a win over a weaker one,
/// and the sum of all changes in a round is 0, so ratings neither inflate nor deflate.
/// </summary>
/// <remarks>
/// Elo rather than Glicko-2 or TrueSkill: a duel between two players is exactly the case Elo was made for, its
/// numbers are the ones players know from chess, and it needs no per-player uncertainty or rating periods that
/// a guest profile (which may play once) would never fill. An arena round is scored as the winner beating each
/// other player, with K shared out among those pairs, so one round moves a rating about as much as a duel does.
/// </remarks>
public static class Elo
{
    public const int InitialRating = 1200;

    public const int K = 32;

    /// <summary>The chance that a player rated <paramref name="rating"/> beats one rated <paramref name="opponent"/>.</summary>
    public static double Expected(int rating, int opponent) => 1.0 / (1.0 + Math.Pow(10, (opponent - rating) / 400.0));

    /// <summary>
    /// Each player's change for a round that <paramref name="winner"/> (an index into <paramref name="ratings"/>)
    /// won; no change at all when nobody won (-1). Players of the same <paramref name="profiles"/> entry as the
    /// winner are not rated against it: nobody gains by beating themselves in a second tab.
    /// </summary>
    public static int[] Changes(IReadOnlyList<int> ratings, IReadOnlyList<string> profiles, int winner)
    {
        var changes = new int[ratings.Count];
        if (winner < 0 || ratings.Count < 2)
        {
            return changes;
        }
        var pairK = (double)K / (ratings.Count - 1);
        for (var other = 0; other < ratings.Count; other++)
        {
            if (other == winner || profiles[other] == profiles[winner])
            {
                continue;
            }
            var gain = (int)Math.Round(pairK * (1 - Expected(ratings[winner], ratings[other])), MidpointRounding.AwayFromZero);
            changes[winner] += gain;
            changes[other] -= gain;
        }
        return changes;
    }
}
