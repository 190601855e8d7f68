using WsGame.Api.Game.Results;

namespace WsGame.Api.Game.Rooms;

/// <summary>A round's end: who played it, how it went, what it did to their ratings, told at the next tick.</summary>
public sealed partial class RoomCore
{
    // Rounds that ended since the last tick: the tick tells the room, after the update that shows the last blow.
    private readonly List<(RoundEnd End, MatchResult Match)> _roundEnds = [];
    private TimeSpan _roundStartedAt;

    /// <summary>
    /// Scores the round that just ended and hands its record to the host (<see cref="RoomOutbox.Matches"/>).
    /// <paramref name="leaver"/>: the player whose leaving ended it, already out of the seats and the rules.
    /// </summary>
    private void EndRound(RoundEnd end, (RoomMember Member, PlayerState State)? leaver)
    {
        var members = new List<(RoomMember Member, PlayerState State)>(_seats.Count + 1);
        foreach (var player in _rules.Players)
        {
            if (_seatById.TryGetValue(player.Id, out var seat))
            {
                members.Add((seat, player));
            }
        }
        if (leaver is { } gone)
        {
            members.Add(gone);
        }
        var winner = end.WinCounted ? members.FindIndex(member => member.State.Id == end.WinnerId) : -1;
        var ratings = members.ConvertAll(member => member.Member.Profile?.Rating ?? Elo.InitialRating);
        var profiles = members.ConvertAll(member => member.Member.Profile?.Id ?? $"player {member.Member.Id}");
        var changes = Elo.Changes(ratings, profiles, winner);
        var players = new MatchPlayer[members.Count];
        for (var i = 0; i < members.Count; i++)
        {
            var (member, state) = members[i];
            players[i] = new MatchPlayer(state.Id, member.Profile, state.Name, state.Sprite, member.HitsDealt, state.Energy, changes[i]);
            if (member.Profile is { } profile)
            {
                // The next round here is scored from the new rating; the record counts as storage will derive it.
                var won = i == winner;
                var lost = winner >= 0 && !won && profiles[i] != profiles[winner];
                member.Profile = profile with
                {
                    Rating = profile.Rating + changes[i],
                    Wins = profile.Wins + (won ? 1 : 0),
                    Losses = profile.Losses + (lost ? 1 : 0),
                };
            }
        }
        var match = new MatchResult(Name, end.Round, end.Reason, winner, _roundStartedAt, _now, players);
        _out.Matches.Add(match);
        _roundEnds.Add((end, match));
    }
}
