namespace WsGame.Api.Storage.Records;

/// <summary>One player of a stored match.</summary>
public sealed class MatchPlayerRecord
{
    public required string MatchId { get; set; }

    /// <summary>The player's place in the match (slot order, the leaver last).</summary>
    public int Position { get; set; }

    /// <summary>Null when the player had no profile, or presented a token that turned out not to be the profile's.</summary>
    public string? ProfileId { get; set; }

    /// <summary>The player's id in its session, as the socket and the API showed it then.</summary>
    public required string PlayerId { get; set; }

    public required string Name { get; set; }

    public required string Sprite { get; set; }

    public int HitsDealt { get; set; }

    public int EnergyLeft { get; set; }

    public int RatingChange { get; set; }
}
