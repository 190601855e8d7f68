using WsGame.Api.Storage;

namespace WsGame.Api.Api;

/// <summary>A place on the leaderboard.</summary>
public sealed record LeaderboardResponse
{
    /// <example>3f9a0c41d2e87b65</example>
    public required string ProfileId { get; init; }

    /// <summary>The name the profile last played under.</summary>
    /// <example>Alice</example>
    public required string Name { get; init; }

    /// <summary>Elo rating: 1200 at the start, K = 32.</summary>
    /// <example>1216</example>
    public int Rating { get; init; }

    /// <example>3</example>
    public int Wins { get; init; }

    /// <example>1</example>
    public int Losses { get; init; }

    internal static LeaderboardResponse From(LeaderboardEntry entry) =>
        new() { ProfileId = entry.ProfileId, Name = entry.Name, Rating = entry.Rating, Wins = entry.Wins, Losses = entry.Losses };
}

/// <summary>A profile, its record and its last matches.</summary>
public sealed record ProfileResponse
{
    /// <example>3f9a0c41d2e87b65</example>
    public required string ProfileId { get; init; }

    /// <example>Alice</example>
    public required string Name { get; init; }

    /// <example>1216</example>
    public int Rating { get; init; }

    /// <example>3</example>
    public int Wins { get; init; }

    /// <example>1</example>
    public int Losses { get; init; }

    /// <summary>Wins in a row (positive) or losses in a row (negative), up to the latest decided match.</summary>
    /// <example>2</example>
    public int Streak { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime LastSeenAt { get; init; }

    /// <summary>The latest matches, latest first.</summary>
    public required IReadOnlyList<MatchResponse> Matches { get; init; }

    internal static ProfileResponse From(ProfileView view) => new()
    {
        ProfileId = view.ProfileId,
        Name = view.Name,
        Rating = view.Rating,
        Wins = view.Wins,
        Losses = view.Losses,
        Streak = view.Streak,
        CreatedAt = view.CreatedAt,
        LastSeenAt = view.LastSeenAt,
        Matches = [.. view.Matches.Select(MatchResponse.From)],
    };
}

/// <summary>A round that ended.</summary>
public sealed record MatchResponse
{
    /// <example>9b1d6e0a77c3f245</example>
    public required string Id { get; init; }

    /// <example>ROOM1</example>
    public required string Room { get; init; }

    /// <summary>The round's number in its room.</summary>
    /// <example>1</example>
    public int Round { get; init; }

    /// <summary>Each player, in slot order (one that left to end the round last).</summary>
    public required IReadOnlyList<MatchPlayerResponse> Players { get; init; }

    /// <summary>The winner's profile id; null when no win was counted (the others left).</summary>
    /// <example>3f9a0c41d2e87b65</example>
    public string? Winner { get; init; }

    /// <summary>knockout, forfeit (the other stayed away past the reconnect grace) or left.</summary>
    /// <example>knockout</example>
    public required string Reason { get; init; }

    public DateTime StartedAt { get; init; }

    public DateTime EndedAt { get; init; }

    internal static MatchResponse From(MatchView view) => new()
    {
        Id = view.Id,
        Room = view.Room,
        Round = view.Round,
        Winner = view.Winner,
        Reason = view.Reason,
        StartedAt = view.StartedAt,
        EndedAt = view.EndedAt,
        Players = [.. view.Players.Select(player => new MatchPlayerResponse
        {
            ProfileId = player.ProfileId,
            PlayerId = player.PlayerId,
            Name = player.Name,
            Sprite = player.Sprite,
            HitsDealt = player.HitsDealt,
            EnergyLeft = player.EnergyLeft,
            RatingChange = player.RatingChange,
        })],
    };
}

/// <summary>A player of a match.</summary>
public sealed record MatchPlayerResponse
{
    /// <summary>Null when the player's token did not prove the profile it named.</summary>
    /// <example>3f9a0c41d2e87b65</example>
    public string? ProfileId { get; init; }

    /// <summary>The player's id in the session then (as /ws and /api/players showed it).</summary>
    /// <example>17</example>
    public required string PlayerId { get; init; }

    /// <example>Alice</example>
    public required string Name { get; init; }

    /// <example>knight</example>
    public required string Sprite { get; init; }

    /// <example>30</example>
    public int HitsDealt { get; init; }

    /// <example>12</example>
    public int EnergyLeft { get; init; }

    /// <example>16</example>
    public int RatingChange { get; init; }
}
