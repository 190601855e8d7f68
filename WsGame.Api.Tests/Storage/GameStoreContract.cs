using WsGame.Api.Storage;
using WsGame.Api.Storage.Records;

namespace WsGame.Api.Tests.Storage;

/// <summary>
/// What every store must do, run against each provider (<see cref="SqliteGameStoreTests"/>,
/// <see cref="PostgresGameStoreTests"/>) on a fresh, migrated database.
/// </summary>
public abstract class GameStoreContract : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    protected abstract Task<IGameStore> CreateStoreAsync();

    private IGameStore _store = null!;

    private IRecordsReader Records => (IRecordsReader)_store;

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync(CancellationToken.None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static CancellationToken Ct => CancellationToken.None;

    private static (string Id, string Token, string Hash) NewProfile()
    {
        var (id, token) = ProfileTokens.NewProfile();
        return (id, token, ProfileTokens.Hash(token));
    }

    private static MatchEnded Match(int minute, string? winner, params (string? Profile, string? Hash, string Name, int Change)[] players)
    {
        var id = ProfileTokens.NewId();
        var match = new MatchRecord
        {
            Id = id, Room = "ROOM1", Round = minute, Reason = winner is null ? "left" : "knockout", WinnerProfileId = winner,
            StartedAt = T0.AddMinutes(minute), EndedAt = T0.AddMinutes(minute).AddSeconds(30),
        };
        for (var i = 0; i < players.Length; i++)
        {
            match.Players.Add(new MatchPlayerRecord
            {
                MatchId = id, Position = i, ProfileId = players[i].Profile, PlayerId = $"{i + 1}", Name = players[i].Name, Sprite = "knight",
                HitsDealt = 3 - i, EnergyLeft = i == 0 ? 30 : 0, RatingChange = players[i].Change,
            });
        }
        return new MatchEnded(match, [.. players.Select(p => p.Hash)]);
    }

    [Fact]
    public async Task A_profile_seen_is_found_with_its_hash_and_no_record()
    {
        var (id, _, hash) = NewProfile();
        await _store.WriteAsync([new ProfileSeen(id, hash, "Ann", T0)], Ct);

        var found = await _store.FindProfileAsync(id, Ct);
        Assert.Equal(new StoredProfile(id, hash, "Ann", 1200, 0, 0), found);
        Assert.Null(await _store.FindProfileAsync(ProfileTokens.NewId(), Ct));
    }

    [Fact]
    public async Task Wins_losses_ratings_and_the_leaderboard_come_from_the_matches()
    {
        var a = NewProfile();
        var b = NewProfile();
        await _store.WriteAsync([new ProfileSeen(a.Id, a.Hash, "Ann", T0), new ProfileSeen(b.Id, b.Hash, "Bob", T0)], Ct);
        await _store.WriteAsync(
        [
            Match(1, a.Id, (a.Id, a.Hash, "Ann", 16), (b.Id, b.Hash, "Bob", -16)),
            Match(2, b.Id, (b.Id, b.Hash, "Bobby", 17), (a.Id, a.Hash, "Ann", -17)),
            Match(3, a.Id, (a.Id, a.Hash, "Ann", 15), (b.Id, b.Hash, "Bobby", -15)),
            Match(4, null, (a.Id, a.Hash, "Ann", 0), (b.Id, b.Hash, "Bobby", 0)),
        ], Ct);

        var board = await Records.LeaderboardAsync(20, Ct);
        Assert.Equal(
            [new LeaderboardEntry(a.Id, "Ann", 1214, 2, 1), new LeaderboardEntry(b.Id, "Bobby", 1186, 1, 2)],
            board);
        Assert.Single(await Records.LeaderboardAsync(1, Ct));

        var profile = (await Records.ProfileAsync(a.Id, 2, Ct))!;
        Assert.Equal((1214, 2, 1, 1), (profile.Rating, profile.Wins, profile.Losses, profile.Streak));
        Assert.Equal([4, 3], profile.Matches.Select(m => m.Round)); // latest first
        Assert.Equal(-1, (await Records.ProfileAsync(b.Id, 1, Ct))!.Streak);
    }

    [Fact]
    public async Task A_match_reads_back_field_for_field()
    {
        var a = NewProfile();
        var b = NewProfile();
        var written = Match(7, a.Id, (a.Id, a.Hash, "Ann", 16), (b.Id, b.Hash, "Bob", -16));
        await _store.WriteAsync([written], Ct);

        var match = (await Records.MatchAsync(written.Match.Id, Ct))!;
        Assert.Equal(("ROOM1", 7, a.Id, "knockout"), (match.Room, match.Round, match.Winner, match.Reason));
        Assert.Equal(T0.AddMinutes(7), match.StartedAt);
        Assert.Equal(DateTimeKind.Utc, match.EndedAt.Kind);
        Assert.Equal(
            [new MatchPlayerView(a.Id, "1", "Ann", "knight", 3, 30, 16), new MatchPlayerView(b.Id, "2", "Bob", "knight", 2, 0, -16)],
            match.Players);
        Assert.Null(await Records.MatchAsync(ProfileTokens.NewId(), Ct));
        Assert.Equal([written.Match.Id], (await Records.MatchesAsync(b.Id, 5, Ct)).Select(m => m.Id));
        Assert.Empty(await Records.MatchesAsync(ProfileTokens.NewId(), 5, Ct));
    }

    [Fact]
    public async Task A_batch_written_twice_stores_each_match_once()
    {
        var a = NewProfile();
        var b = NewProfile();
        var batch = new List<StorageWrite> { Match(1, a.Id, (a.Id, a.Hash, "Ann", 16), (b.Id, b.Hash, "Bob", -16)) };
        await _store.WriteAsync(batch, Ct);
        await _store.WriteAsync(batch, Ct); // as a retry after a commit whose answer was lost

        Assert.Single(await Records.MatchesAsync(a.Id, 10, Ct));
        Assert.Equal(1216, (await _store.FindProfileAsync(a.Id, Ct))!.Rating);
    }

    [Fact]
    public async Task A_token_that_is_not_the_profiles_is_credited_to_nobody()
    {
        var a = NewProfile();
        var b = NewProfile();
        await _store.WriteAsync([new ProfileSeen(a.Id, a.Hash, "Ann", T0)], Ct);
        var forged = ProfileTokens.Hash(a.Id + ".forged");
        var written = Match(1, a.Id, (a.Id, forged, "Mallory", 16), (b.Id, b.Hash, "Bob", -16));
        await _store.WriteAsync([written], Ct);

        var match = (await Records.MatchAsync(written.Match.Id, Ct))!;
        Assert.Null(match.Winner);
        Assert.Null(match.Players[0].ProfileId);
        Assert.Equal(0, match.Players[0].RatingChange);
        Assert.Equal(new StoredProfile(a.Id, a.Hash, "Ann", 1200, 0, 0), await _store.FindProfileAsync(a.Id, Ct));
    }

    [Fact]
    public async Task A_profile_first_met_in_a_match_is_created_from_it()
    {
        // Made while storage was down: the profile's first write is the match it played.
        var a = NewProfile();
        var b = NewProfile();
        await _store.WriteAsync([Match(1, a.Id, (a.Id, a.Hash, "Ann", 16), (b.Id, b.Hash, "Bob", -16))], Ct);
        Assert.Equal(new StoredProfile(a.Id, a.Hash, "Ann", 1216, 1, 0), await _store.FindProfileAsync(a.Id, Ct));
        Assert.Equal(new StoredProfile(b.Id, b.Hash, "Bob", 1184, 0, 1), await _store.FindProfileAsync(b.Id, Ct));
    }

    [Fact]
    public async Task Many_matches_in_one_batch_are_all_stored()
    {
        var profiles = Enumerable.Range(0, 100).Select(_ => NewProfile()).ToList();
        var batch = Enumerable.Range(0, 500).Select(i =>
        {
            var (w, l) = (profiles[i % 100], profiles[(i + 1) % 100]);
            return (StorageWrite)Match(i, w.Id, (w.Id, w.Hash, "W", 10), (l.Id, l.Hash, "L", -10));
        }).ToList();
        await _store.WriteAsync(batch, Ct);

        Assert.Equal(100, (await Records.LeaderboardAsync(100, Ct)).Count);
        foreach (var profile in profiles)
        {
            Assert.Equal(1200, (await _store.FindProfileAsync(profile.Id, Ct))!.Rating); // +50 -50 each
        }
        Assert.Equal(100, (await Records.MatchesAsync(null, 100, Ct)).Count);
    }
}
