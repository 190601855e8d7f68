using WsGame.Api.Storage;

namespace WsGame.Api.Tests.Storage;

/// <summary>A store in memory that can be taken down (every call fails) or made to refuse one kind of write.</summary>
internal sealed class FlakyStore : IGameStore
{
    private readonly object _gate = new();

    public List<StorageWrite> Written { get; } = [];

    public Dictionary<string, StoredProfile> Profiles { get; } = [];

    public volatile bool Down;

    /// <summary>Lookups take this long (a slow database).</summary>
    public TimeSpan LookupDelay { get; set; }

    /// <summary>A write the database refuses while it is up (as a constraint would).</summary>
    public Func<StorageWrite, bool> Refuses { get; set; } = _ => false;

    public int Attempts;

    public Task MigrateAsync(CancellationToken cancellationToken) => Down ? Task.FromException(new IOException("down")) : Task.CompletedTask;

    public async Task<StoredProfile?> FindProfileAsync(string id, CancellationToken cancellationToken)
    {
        await Task.Delay(LookupDelay, cancellationToken);
        if (Down)
        {
            throw new IOException("down");
        }
        lock (_gate)
        {
            return Profiles.GetValueOrDefault(id);
        }
    }

    public Task WriteAsync(IReadOnlyList<StorageWrite> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Attempts);
        if (Down)
        {
            return Task.FromException(new IOException("down"));
        }
        if (batch.Any(Refuses))
        {
            return Task.FromException(new WriteRefusedException("refused", new InvalidOperationException("a constraint")));
        }
        lock (_gate)
        {
            Written.AddRange(batch);
        }
        return Task.CompletedTask;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return Written.Count;
            }
        }
    }
}
