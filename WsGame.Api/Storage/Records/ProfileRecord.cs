namespace WsGame.Api.Storage.Records;

/// <summary>A guest profile as stored: its id, its token's hash (never the token), its rating and last name.</summary>
public sealed class ProfileRecord
{
    public required string Id { get; set; }

    /// <summary>SHA-256 of the token, in lower-case hex: a stolen database gives nobody a way in.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The name the profile last played under (the leaderboard shows it).</summary>
    public required string Name { get; set; }

    /// <summary>
    /// Kept beside the records (changed in the same transaction as each match), so the leaderboard is one
    /// ordered index read; it always equals the start rating plus the sum of the profile's rating changes.
    /// </summary>
    public int Rating { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime LastSeenAt { get; set; }
}
