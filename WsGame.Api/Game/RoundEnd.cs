namespace WsGame.Api.Game;

/// <summary>How a round ended.</summary>
/// <param name="Round">The round's number (<see cref="RoomRules.Round"/>).</param>
/// <param name="WinnerId">The last player standing.</param>
/// <param name="LoserIds">
/// Whose fall ended the round: the player knocked out last (several if one blow felled them together), or the
/// player who left. In a duel that is the other player; in an arena everyone else fell earlier, one knock-out at a time.
/// </param>
/// <param name="Reason">Knock-out, or the others left.</param>
/// <param name="WinCounted">Whether the winner's <see cref="PlayerState.Wins"/> went up: only for a knock-out.</param>
public sealed record RoundEnd(int Round, string WinnerId, IReadOnlyList<string> LoserIds, RoundEndReason Reason, bool WinCounted);

public enum RoundEndReason
{
    /// <summary>Everyone but the winner was knocked out.</summary>
    KnockOut,

    /// <summary>The last opponent standing left the room.</summary>
    Forfeit,
}
