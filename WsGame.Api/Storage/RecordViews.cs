namespace WsGame.Api.Storage;

// What the REST API reads of the records (GET /api/leaderboard, /api/profiles/{id}, /api/matches): plain
// values, counted from the stored matches when they are read.

/// <summary>A profile's place on the leaderboard.</summary>
public sealed record LeaderboardEntry(string ProfileId, string Name, int Rating, int Wins, int Losses);

/// <summary>A profile, its record and its last matches. <paramref name="Streak"/>: wins (positive) or losses (negative) in a row, latest first.</summary>
public sealed record ProfileView(string ProfileId, string Name, int Rating, int Wins, int Losses, int Streak, DateTime CreatedAt, DateTime LastSeenAt, IReadOnlyList<MatchView> Matches);

/// <summary>A stored match. <paramref name="Winner"/>: the winner's profile id; null when no win was counted.</summary>
public sealed record MatchView(string Id, string Room, int Round, string? Winner, string Reason, DateTime StartedAt, DateTime EndedAt, IReadOnlyList<MatchPlayerView> Players);

public sealed record MatchPlayerView(string? ProfileId, string PlayerId, string Name, string Sprite, int HitsDealt, int EnergyLeft, int RatingChange);
