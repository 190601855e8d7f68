namespace WsGame.Api.Game.Results;

/// <summary>
/// Where a room's ended rounds go to be kept. Called on the room's turn, so it must not wait: an
/// implementation queues the result and returns.
/// </summary>
public interface IMatchRecorder
{
    /// <param name="match">The round.</param>
    /// <param name="endedAt">The wall-clock time of <see cref="MatchResult.EndedAt"/>.</param>
    void Record(MatchResult match, DateTime endedAt);
}
