using System.Collections.Concurrent;

namespace WsGame.Api.Storage;

/// <summary>
/// What matches queued but not yet written did to each profile, so a player who comes back before the writer
/// caught up sees the record it just played. Added when a match is queued, taken off once it is written.
/// </summary>
/// <remarks>
/// A join that reads the database just after a batch was committed, but before the batch is taken off here,
/// counts that batch twice in its welcome (only there: the stored records are exact). The window is one
/// commit long and the welcome's numbers are for show.
/// </remarks>
public sealed class PendingResults
{
    private readonly ConcurrentDictionary<string, Delta> _byProfile = new(StringComparer.Ordinal);

    public readonly record struct Delta(int Rating, int Wins, int Losses, int Matches);

    public Delta For(string profileId) => _byProfile.GetValueOrDefault(profileId);

    internal void Add(string profileId, Delta delta) =>
        _byProfile.AddOrUpdate(profileId, delta, (_, old) => Sum(old, delta, 1));

    internal void Remove(string profileId, Delta delta)
    {
        while (_byProfile.TryGetValue(profileId, out var old))
        {
            var left = Sum(old, delta, -1);
            if (left.Matches <= 0 ? _byProfile.TryRemove(new(profileId, old)) : _byProfile.TryUpdate(profileId, left, old))
            {
                return;
            }
        }
    }

    private static Delta Sum(Delta a, Delta b, int sign) =>
        new(a.Rating + sign * b.Rating, a.Wins + sign * b.Wins, a.Losses + sign * b.Losses, a.Matches + sign * b.Matches);
}
