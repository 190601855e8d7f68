using WsGame.Api.Game.Results;
using WsGame.Api.Game.Wire;
using WsGame.Api.Storage.Records;

namespace WsGame.Api.Storage;

/// <summary>
/// Turns a room's ended round into a record and queues it: on the room's turn, so it only builds objects and
/// adds them to the queue, never waits.
/// </summary>
public sealed class MatchRecorder(ResultQueue queue, PendingResults pending, ILogger<MatchRecorder> logger) : IMatchRecorder
{
    private long _lastWarning;

    public void Record(MatchResult match, DateTime endedAt)
    {
        var id = ProfileTokens.NewId();
        var started = endedAt - (match.EndedAt - match.StartedAt);
        var winner = match.WinningPlayer?.Profile?.Id;
        var record = new MatchRecord
        {
            Id = id,
            Room = match.Room,
            Round = match.Round,
            Reason = WireNames.ReasonName(match.Reason),
            WinnerProfileId = winner,
            StartedAt = started,
            EndedAt = endedAt,
        };
        var hashes = new string?[match.Players.Count];
        for (var i = 0; i < match.Players.Count; i++)
        {
            var player = match.Players[i];
            record.Players.Add(new MatchPlayerRecord
            {
                MatchId = id,
                Position = i,
                ProfileId = player.Profile?.Id,
                PlayerId = player.PlayerId,
                Name = player.Name,
                Sprite = player.Sprite,
                HitsDealt = player.HitsDealt,
                EnergyLeft = player.EnergyLeft,
                RatingChange = player.RatingChange,
            });
            hashes[i] = player.Profile is { } profile ? ProfileTokens.Hash(profile.Token) : null;
        }
        var write = new MatchEnded(record, hashes);
        if (!queue.TryAdd(write))
        {
            WarnDropped(record);
            return;
        }
        foreach (var (profileId, delta) in Deltas(record))
        {
            pending.Add(profileId, delta);
        }
    }

    /// <summary>What a stored match does to each of its profiles' records, as the store counts them.</summary>
    internal static IEnumerable<(string ProfileId, PendingResults.Delta Delta)> Deltas(MatchRecord match)
    {
        foreach (var player in match.Players)
        {
            if (player.ProfileId is { } id)
            {
                var won = match.WinnerProfileId == id;
                var lost = match.WinnerProfileId is not null && !won;
                yield return (id, new PendingResults.Delta(player.RatingChange, won ? 1 : 0, lost ? 1 : 0, 1));
            }
        }
    }

    private void WarnDropped(MatchRecord record)
    {
        // Once a minute at most: a full queue during a long outage would otherwise log every round.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarning);
        if (now - last >= 60_000 && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            logger.LogWarning(
                "The result queue is full ({Capacity} waiting for the database): the result of round {Round} in room {Room} was not kept ({Dropped} dropped so far)",
                queue.Capacity, record.Round, record.Room, queue.Dropped);
        }
    }
}
