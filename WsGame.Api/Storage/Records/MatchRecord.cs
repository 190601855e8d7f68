namespace WsGame.Api.Storage.Records;

/// <summary>One round that ended, as stored. Wins and losses are counted from these, never kept as counters.</summary>
public sealed class MatchRecord
{
    /// <summary>Drawn by the server when the round ended, so a retried write cannot store it twice.</summary>
    public required string Id { get; set; }

    public required string Room { get; set; }

    public int Round { get; set; }

    /// <summary><c>knockout</c>, <c>forfeit</c> or <c>left</c>.</summary>
    public required string Reason { get; set; }

    /// <summary>The winner's profile; null when no win was counted (the others left).</summary>
    public string? WinnerProfileId { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime EndedAt { get; set; }

    public List<MatchPlayerRecord> Players { get; set; } = [];
}
