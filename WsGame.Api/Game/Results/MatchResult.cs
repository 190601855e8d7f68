namespace WsGame.Api.Game.Results;

/// <summary>
/// A round that ended, as its room saw it: who played, who won, how, and what it did to their ratings. Times
/// are on the game's monotonic clock; the host turns them into dates before they are stored.
/// </summary>
/// <param name="Room">The room's name.</param>
/// <param name="Round">The round's number in that room.</param>
/// <param name="Reason">Knock-out, forfeit, or the others left.</param>
/// <param name="Winner">Index into <paramref name="Players"/> of the winner; -1 when no win is counted (a walkover).</param>
/// <param name="StartedAt">When the round started.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Players">Everyone who was in the round when it ended, in slot order, and the one who left if that ended it.</param>
public sealed record MatchResult(
    string Room,
    int Round,
    RoundEndReason Reason,
    int Winner,
    TimeSpan StartedAt,
    TimeSpan EndedAt,
    IReadOnlyList<MatchPlayer> Players)
{
    public MatchPlayer? WinningPlayer => Winner >= 0 ? Players[Winner] : null;
}

/// <summary>One player of a <see cref="MatchResult"/>.</summary>
/// <param name="PlayerId">The player's id in the session (as <c>/ws</c> and the API show it).</param>
/// <param name="Profile">The profile it played under; null when it had none.</param>
/// <param name="Name">The name it played under.</param>
/// <param name="Sprite">Its character.</param>
/// <param name="HitsDealt">Hits it landed in the round.</param>
/// <param name="EnergyLeft">Its energy when the round ended.</param>
/// <param name="RatingChange">What the round did to its rating.</param>
public sealed record MatchPlayer(
    string PlayerId,
    PlayerProfile? Profile,
    string Name,
    string Sprite,
    int HitsDealt,
    int EnergyLeft,
    int RatingChange);
