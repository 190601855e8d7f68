using Microsoft.EntityFrameworkCore;
using WsGame.Api.Game.Results;
using WsGame.Api.Storage.Records;

namespace WsGame.Api.Storage.Ef;

/// <summary>
/// The records on EF Core, for either provider. Wins and losses are counted from the matches when read; the
/// rating is changed in the same transaction as the match that changed it, by an update that adds to it
/// (so two nodes of a cluster writing the same profile's matches lose neither).
/// </summary>
public sealed class EfGameStore(Func<GameDbContext> createContext) : IGameStore, IRecordsReader
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = createContext();
        await db.Database.MigrateAsync(cancellationToken);
    }

    public async Task<StoredProfile?> FindProfileAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        return await WithRecord(db, db.Profiles.AsNoTracking().Where(profile => profile.Id == id)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Each profile with its wins (matches it won) and losses (matches it played that someone else won), counted
    /// in the query: the one definition of a profile's record.
    /// </summary>
    private static IQueryable<StoredProfile> WithRecord(GameDbContext db, IQueryable<ProfileRecord> profiles) =>
        profiles.Select(profile => new StoredProfile(
            profile.Id, profile.TokenHash, profile.Name, profile.Rating,
            db.Matches.Count(match => match.WinnerProfileId == profile.Id),
            db.MatchPlayers.Count(player => player.ProfileId == profile.Id
                && db.Matches.Any(match => match.Id == player.MatchId && match.WinnerProfileId != null && match.WinnerProfileId != profile.Id))));

    public async Task<bool> ProfileExistsAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        return await db.Profiles.AnyAsync(profile => profile.Id == id, cancellationToken);
    }

    public async Task WriteAsync(IReadOnlyList<StorageWrite> batch, CancellationToken cancellationToken)
    {
        try
        {
            await WriteBatchAsync(batch, cancellationToken);
        }
        catch (Exception exception) when (StorageErrors.IsRefusal(exception))
        {
            throw new WriteRefusedException($"The database refused the batch: {exception.GetBaseException().Message}", exception);
        }
    }

    private async Task WriteBatchAsync(IReadOnlyList<StorageWrite> batch, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var matchIds = new List<string>();
        foreach (var write in batch)
        {
            switch (write)
            {
                case ProfileSeen seen: ids.Add(seen.Id); break;
                case MatchEnded ended:
                    matchIds.Add(ended.Match.Id);
                    ids.UnionWith(ended.Match.Players.Where(p => p.ProfileId is not null).Select(p => p.ProfileId!));
                    break;
            }
        }
        var profiles = await db.Profiles.Where(profile => ids.Contains(profile.Id)).ToDictionaryAsync(profile => profile.Id, cancellationToken);
        var stored = (await db.Matches.Where(match => matchIds.Contains(match.Id)).Select(match => match.Id).ToListAsync(cancellationToken)).ToHashSet();
        var ratingChanges = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var write in batch)
        {
            switch (write)
            {
                case ProfileSeen seen:
                    if (Profile(db, profiles, seen.Id, seen.TokenHash, seen.Name, seen.At) is { } profile)
                    {
                        profile.Name = seen.Name;
                        profile.LastSeenAt = seen.At;
                    }
                    break;
                case MatchEnded ended when stored.Add(ended.Match.Id):
                    AddMatch(db, profiles, ended, ratingChanges);
                    break;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (id, change) in ratingChanges)
        {
            if (change != 0)
            {
                await db.Profiles.Where(profile => profile.Id == id)
                    .ExecuteUpdateAsync(set => set.SetProperty(profile => profile.Rating, profile => profile.Rating + change), cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static void AddMatch(GameDbContext db, Dictionary<string, ProfileRecord> profiles, MatchEnded ended, Dictionary<string, int> ratingChanges)
    {
        var match = ended.Match;
        foreach (var player in match.Players)
        {
            if (player.ProfileId is not { } id)
            {
                continue;
            }
            var hash = ended.TokenHashes[player.Position];
            if (hash is null || Profile(db, profiles, id, hash, player.Name, match.EndedAt) is not { } profile)
            {
                // The token was not this profile's: the result stays, credited to nobody.
                if (match.WinnerProfileId == id)
                {
                    match.WinnerProfileId = null;
                }
                player.ProfileId = null;
                player.RatingChange = 0;
                continue;
            }
            profile.Name = player.Name;
            profile.LastSeenAt = match.EndedAt;
            ratingChanges[id] = ratingChanges.GetValueOrDefault(id) + player.RatingChange;
        }
        db.Matches.Add(match);
    }

    /// <summary>The profile of that id if the token hash is its own; a new one when storage has none of that id; else null.</summary>
    private static ProfileRecord? Profile(GameDbContext db, Dictionary<string, ProfileRecord> profiles, string id, string tokenHash, string name, DateTime at)
    {
        if (profiles.TryGetValue(id, out var profile))
        {
            return profile.TokenHash == tokenHash ? profile : null;
        }
        profile = new ProfileRecord { Id = id, TokenHash = tokenHash, Name = name, Rating = Elo.InitialRating, CreatedAt = at, LastSeenAt = at };
        profiles[id] = profile;
        db.Profiles.Add(profile);
        return profile;
    }

    public async Task<IReadOnlyList<LeaderboardEntry>> LeaderboardAsync(int top, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        var best = db.Profiles.AsNoTracking()
            .Where(profile => db.MatchPlayers.Any(player => player.ProfileId == profile.Id))
            .OrderByDescending(profile => profile.Rating).ThenBy(profile => profile.Id)
            .Take(top);
        return (await WithRecord(db, best).ToListAsync(cancellationToken)).ConvertAll(p => new LeaderboardEntry(p.Id, p.Name, p.Rating, p.Wins, p.Losses));
    }

    public async Task<ProfileView?> ProfileAsync(string id, int lastMatches, CancellationToken cancellationToken)
    {
        if (await FindProfileAsync(id, cancellationToken) is not { } found)
        {
            return null;
        }
        await using var db = createContext();
        var times = await db.Profiles.AsNoTracking().Where(profile => profile.Id == id)
            .Select(profile => new { profile.CreatedAt, profile.LastSeenAt }).FirstAsync(cancellationToken);
        var matches = await MatchesAsync(id, lastMatches, cancellationToken);
        // The streak is counted over the decided matches, latest first: walkovers neither make nor break one.
        var results = await db.Matches.AsNoTracking()
            .Where(match => match.WinnerProfileId != null && db.MatchPlayers.Any(player => player.MatchId == match.Id && player.ProfileId == id))
            .OrderByDescending(match => match.EndedAt).ThenByDescending(match => match.Id)
            .Select(match => match.WinnerProfileId == id)
            .Take(1000)
            .ToListAsync(cancellationToken);
        var streak = 0;
        foreach (var won in results)
        {
            if (streak == 0 || (streak > 0) == won)
            {
                streak += won ? 1 : -1;
                continue;
            }
            break;
        }
        return new ProfileView(found.Id, found.Name, found.Rating, found.Wins, found.Losses, streak, Utc(times.CreatedAt), Utc(times.LastSeenAt), matches);
    }

    public async Task<IReadOnlyList<MatchView>> MatchesAsync(string? profileId, int limit, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        var query = db.Matches.AsNoTracking().Include(match => match.Players).AsQueryable();
        if (profileId is not null)
        {
            query = query.Where(match => db.MatchPlayers.Any(player => player.MatchId == match.Id && player.ProfileId == profileId));
        }
        var matches = await query.OrderByDescending(match => match.EndedAt).ThenByDescending(match => match.Id).Take(limit)
            .AsSplitQuery().ToListAsync(cancellationToken);
        return matches.ConvertAll(View);
    }

    public async Task<MatchView?> MatchAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        var match = await db.Matches.AsNoTracking().Include(match => match.Players).FirstOrDefaultAsync(match => match.Id == id, cancellationToken);
        return match is null ? null : View(match);
    }

    private static MatchView View(MatchRecord match) => new(
        match.Id, match.Room, match.Round, match.WinnerProfileId, match.Reason,
        Utc(match.StartedAt), Utc(match.EndedAt),
        [.. match.Players.OrderBy(player => player.Position)
            .Select(player => new MatchPlayerView(player.ProfileId, player.PlayerId, player.Name, player.Sprite, player.HitsDealt, player.EnergyLeft, player.RatingChange))]);

    /// <summary>Every time is stored in UTC; SQLite gives it back without saying so.</summary>
    private static DateTime Utc(DateTime stored) => DateTime.SpecifyKind(stored, DateTimeKind.Utc);
}
