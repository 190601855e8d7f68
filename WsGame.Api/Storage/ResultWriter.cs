using Microsoft.Extensions.Options;

namespace WsGame.Api.Storage;

/// <summary>
/// Writes the queue to the database in batches, on its own: the schema first (migrations), then every write in
/// order. A failed batch is tried again with a doubling wait while the database is out (logged once per outage,
/// and once when it is back); a batch the database refuses (<see cref="WriteRefusedException"/>) is written one
/// by one, and only the writes it refuses are dropped, each logged. A graceful stop writes what is queued, for up to
/// <see cref="StorageOptions.FlushTimeout"/>.
/// </summary>
public sealed class ResultWriter(
    IGameStore store, ResultQueue queue, PendingResults pending, IOptions<StorageOptions> options, TimeProvider time, ILogger<ResultWriter> logger)
    : IHostedService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly StorageOptions _options = options.Value;
    private readonly CancellationTokenSource _abort = new();
    private Task _loop = Task.CompletedTask;
    private long _outageSince; // time stamp of the first failure of the current outage; 0 while writes succeed
    private long _written;

    /// <summary>The database could not be written (or reached) on the last try.</summary>
    public bool InOutage => Interlocked.Read(ref _outageSince) != 0;

    /// <summary>How long the current outage has lasted; zero when there is none.</summary>
    public TimeSpan OutageDuration => Interlocked.Read(ref _outageSince) is var since and not 0 ? time.GetElapsedTime(since) : TimeSpan.Zero;

    /// <summary>Writes stored since start.</summary>
    public long Written => Interlocked.Read(ref _written);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_abort.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        try
        {
            await _loop.WaitAsync(_options.FlushTimeout, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            logger.LogError("Stopped before the results were stored: {Waiting} writes are lost", queue.Count);
        }
        await _abort.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunAsync(CancellationToken abort)
    {
        await RetryAsync(() => store.MigrateAsync(abort), "create or update the schema", abort);
        var batch = new List<StorageWrite>(_options.BatchSize);
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync(abort))
        {
            while (batch.Count < _options.BatchSize && reader.TryRead(out var write))
            {
                batch.Add(write);
            }
            await WriteAsync(batch, abort);
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<StorageWrite> batch, CancellationToken abort)
    {
        // Taken before the write: a refused profile clears a player's profile on the record itself.
        var deltas = batch.OfType<MatchEnded>().SelectMany(ended => MatchRecorder.Deltas(ended.Match)).ToList();
        var refused = false;
        await RetryAsync(async () =>
        {
            try
            {
                await store.WriteAsync(batch, abort);
            }
            catch (WriteRefusedException)
            {
                refused = true; // not an outage: find the writes it refuses
            }
        }, "store results", abort);
        if (refused)
        {
            await WriteOneByOneAsync(batch, abort);
        }
        foreach (var (profileId, delta) in deltas)
        {
            pending.Remove(profileId, delta);
        }
        Interlocked.Add(ref _written, batch.Count);
    }

    /// <summary>Each write alone: the refused ones are dropped and logged, the others stored (through an outage too).</summary>
    private async Task WriteOneByOneAsync(List<StorageWrite> batch, CancellationToken abort)
    {
        foreach (var write in batch)
        {
            await RetryAsync(async () =>
            {
                try
                {
                    await store.WriteAsync([write], abort);
                }
                catch (WriteRefusedException exception)
                {
                    logger.LogError(exception, "The database refused a result, which is dropped: {Write}", write);
                }
            }, "store a result", abort);
        }
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, waiting longer after each failure; an outage is logged once.</summary>
    private async Task RetryAsync(Func<Task> attempt, string what, CancellationToken abort)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await attempt();
                if (Interlocked.Exchange(ref _outageSince, 0) is var since and not 0)
                {
                    logger.LogWarning("The database is back after {Seconds:0.0} s: results are being stored again ({Waiting} waiting)",
                        time.GetElapsedTime(since).TotalSeconds, queue.Count);
                }
                return;
            }
            catch (Exception exception) when (!abort.IsCancellationRequested)
            {
                if (Interlocked.CompareExchange(ref _outageSince, time.GetTimestamp(), 0) == 0)
                {
                    logger.LogError("The database is unavailable, so results wait in memory (up to {Capacity}) and are tried again: could not {What}: {Reason}",
                        queue.Capacity, what, exception.Message);
                }
                await Task.Delay(delay, time, abort);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
    }
}
