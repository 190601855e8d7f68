using Microsoft.Extensions.Options;
using WsGame.Api.Game.Results;

namespace WsGame.Api.Storage;

/// <summary>
/// A joining player's profile: the one its token proves, read from the database with what its queued matches
/// add; a fresh one for a missing, malformed or unknown token (and a token that is not the profile's). When
/// the database does not answer within <see cref="StorageOptions.LookupTimeout"/>, the player plays under
/// the profile its token names, unchecked: the writer checks the token when it stores that player's results.
/// </summary>
public sealed class ProfileDirectory(
    IGameStore store, ResultQueue queue, PendingResults pending, IOptions<StorageOptions> options, TimeProvider time, ILogger<ProfileDirectory> logger)
    : IProfiles
{
    private readonly TimeSpan _timeout = options.Value.LookupTimeout;
    private long _lastWarning;

    public async ValueTask<PlayerProfile?> ForJoinAsync(string? token, string name, CancellationToken cancellationToken)
    {
        if (!ProfileTokens.TryGetId(token, out var id))
        {
            return Fresh(name);
        }
        StoredProfile? found;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_timeout);
            try
            {
                // On a pool thread, and waited for at most the timeout: Microsoft.Data.Sqlite's async calls run
                // synchronously, so called here the query would hold the joining connection's read loop thread,
                // and a cancellation would not stop it.
                found = await Task.Run(() => store.FindProfileAsync(id, timeout.Token), timeout.Token).WaitAsync(_timeout, timeout.Token);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                WarnUnchecked(id, exception);
                Seen(id, ProfileTokens.Hash(token!), name);
                return new PlayerProfile(id, token!, Elo.InitialRating, 0, 0);
            }
        }
        if (found is null || !ProfileTokens.Matches(token!, found.TokenHash))
        {
            return Fresh(name);
        }
        Seen(id, found.TokenHash, name);
        var queued = pending.For(id);
        return new PlayerProfile(id, token!, found.Rating + queued.Rating, found.Wins + queued.Wins, found.Losses + queued.Losses);
    }

    private PlayerProfile Fresh(string name)
    {
        var (id, token) = ProfileTokens.NewProfile();
        Seen(id, ProfileTokens.Hash(token), name);
        return new PlayerProfile(id, token, Elo.InitialRating, 0, 0);
    }

    private void Seen(string id, string tokenHash, string name) =>
        queue.TryAdd(new ProfileSeen(id, tokenHash, name, time.GetUtcNow().UtcDateTime));

    private void WarnUnchecked(string id, Exception exception)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarning);
        if (now - last >= 60_000 && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            logger.LogWarning("Could not look profile {Profile} up ({Reason}): players join under the profile their token names, checked when their results are stored",
                id, exception is OperationCanceledException ? "no answer in time" : exception.Message);
        }
    }
}
