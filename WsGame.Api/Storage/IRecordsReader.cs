namespace WsGame.Api.Storage;

/// <summary>What the REST API reads: the leaderboard, profiles and matches.</summary>
public interface IRecordsReader
{
    /// <summary>The <paramref name="top"/> best rated profiles that have played a match, best first.</summary>
    Task<IReadOnlyList<LeaderboardEntry>> LeaderboardAsync(int top, CancellationToken cancellationToken);

    Task<ProfileView?> ProfileAsync(string id, int lastMatches, CancellationToken cancellationToken);

    Task<bool> ProfileExistsAsync(string id, CancellationToken cancellationToken);

    /// <summary>The latest matches, of one profile when <paramref name="profileId"/> is set, latest first.</summary>
    Task<IReadOnlyList<MatchView>> MatchesAsync(string? profileId, int limit, CancellationToken cancellationToken);

    Task<MatchView?> MatchAsync(string id, CancellationToken cancellationToken);
}
