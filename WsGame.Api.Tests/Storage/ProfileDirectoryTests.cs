using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WsGame.Api.Game.Results;
using WsGame.Api.Storage;

namespace WsGame.Api.Tests.Storage;

public sealed class ProfileDirectoryTests
{
    private readonly FlakyStore _store = new();
    private readonly ResultQueue _queue = new(100);
    private readonly PendingResults _pending = new();
    private readonly ProfileDirectory _directory;

    public ProfileDirectoryTests() =>
        _directory = new ProfileDirectory(_store, _queue, _pending, Options.Create(new StorageOptions { LookupTimeout = TimeSpan.FromMilliseconds(200) }),
            TimeProvider.System, NullLogger<ProfileDirectory>.Instance);

    private (string Id, string Token) Stored(int rating = 1300, int wins = 4, int losses = 2)
    {
        var (id, token) = ProfileTokens.NewProfile();
        _store.Profiles[id] = new StoredProfile(id, ProfileTokens.Hash(token), "Old", rating, wins, losses);
        return (id, token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("ÄÖÜ.非ASCII")]
    [InlineData("0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // well formed, unknown
    public async Task A_missing_malformed_or_unknown_token_gets_a_fresh_profile(string? token)
    {
        var profile = (await _directory.ForJoinAsync(token, "Ann", CancellationToken.None))!;
        Assert.True(ProfileTokens.TryGetId(profile.Token, out var id));
        Assert.Equal(id, profile.Id);
        Assert.NotEqual(token, profile.Token);
        Assert.Equal((1200, 0, 0), (profile.Rating, profile.Wins, profile.Losses));
        Assert.Equal(1, _queue.Count); // the new profile is on its way to storage
    }

    [Fact]
    public async Task A_huge_token_gets_a_fresh_profile()
    {
        var profile = (await _directory.ForJoinAsync(new string('a', 100_000), "Ann", CancellationToken.None))!;
        Assert.Equal(1200, profile.Rating);
    }

    [Fact]
    public async Task The_right_token_gets_its_profile_with_the_matches_still_queued()
    {
        var (id, token) = Stored();
        _pending.Add(id, new PendingResults.Delta(16, 1, 0, 1));
        var profile = (await _directory.ForJoinAsync(token, "New name", CancellationToken.None))!;
        Assert.Equal((id, token, 1316, 5, 2), (profile.Id, profile.Token, profile.Rating, profile.Wins, profile.Losses));
    }

    [Fact]
    public async Task Another_secret_for_a_known_id_gets_a_fresh_profile()
    {
        var (id, _) = Stored();
        var forged = $"{id}.{new string('B', 43)}";
        var profile = (await _directory.ForJoinAsync(forged, "Mallory", CancellationToken.None))!;
        Assert.NotEqual(id, profile.Id);
    }

    [Fact]
    public async Task With_the_database_down_or_slow_the_player_plays_under_its_tokens_profile_unchecked()
    {
        var (id, token) = Stored();
        _store.Down = true;
        var down = (await _directory.ForJoinAsync(token, "Ann", CancellationToken.None))!;
        // The token's own profile, unchecked: at the start rating, not the stored 1300 it could not read.
        Assert.Equal(new PlayerProfile(id, token, 1200, 0, 0), down);

        _store.Down = false;
        _store.LookupDelay = TimeSpan.FromSeconds(5);
        var started = DateTime.UtcNow;
        var slow = (await _directory.ForJoinAsync(token, "Ann", CancellationToken.None))!;
        Assert.Equal(new PlayerProfile(id, token, 1200, 0, 0), slow);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "the join waited past the lookup timeout");
    }
}
