namespace WsGame.Api.Game;

/// <summary>How a round ended.</summary>
/// <param name="Round">The round's number (<see cref="RoomRules.Round"/>).</param>
/// <param name="WinnerId">The last player standing.</param>
/// <param name="LoserIds">
/// Whose fall ended the round: the player knocked out last (several if one blow felled them together), or the
/// player who left. In a duel that is the other player; in an arena everyone else fell earlier, one knock-out at a time.
/// </param>
/// <param name="Reason">Knock-out, the others left, or they stayed away past the reconnect grace.</param>
/// <param name="WinCounted">Whether the winner's <see cref="PlayerState.Wins"/> went up: for a knock-out and a forfeit.</param>
public sealed record RoundEnd(int Round, string WinnerId, IReadOnlyList<string> LoserIds, RoundEndReason Reason, bool WinCounted);

public enum RoundEndReason
{
    /// <summary>Everyone but the winner was knocked out.</summary>
    KnockOut,

    /// <summary>The last opponent standing chose to leave the room: no win is counted (a walkover is not a fight won).</summary>
    Left,

    /// <summary>
    /// The last opponent standing lost its connection and did not come back within the reconnect grace:
    /// the win counts, since the round was lost to staying away, not given up by agreement.
    /// </summary>
    Forfeit,
}
