using System.Threading.Channels;

namespace WsGame.Api.Storage;

/// <summary>
/// The bounded queue between the game and the database: the game adds without waiting (a full queue drops
/// the write and counts it), and <see cref="ResultWriter"/> takes them in batches.
/// </summary>
public sealed class ResultQueue(int capacity)
{
    private readonly Channel<StorageWrite> _channel = Channel.CreateBounded<StorageWrite>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private long _dropped;
    private long _lastDropTicks;

    public int Capacity { get; } = capacity;

    /// <summary>Writes waiting, not counting a batch being written.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>Writes lost because the queue was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>When the last write was dropped (Environment.TickCount64), 0 if never.</summary>
    public long LastDropTicks => Interlocked.Read(ref _lastDropTicks);

    internal ChannelReader<StorageWrite> Reader => _channel.Reader;

    /// <summary>False when the queue is full (or closed for a stop): the write is dropped.</summary>
    public bool TryAdd(StorageWrite write)
    {
        if (_channel.Writer.TryWrite(write))
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        Interlocked.Exchange(ref _lastDropTicks, Environment.TickCount64);
        return false;
    }

    /// <summary>No more writes: the writer drains what is queued and ends.</summary>
    internal void Complete() => _channel.Writer.TryComplete();
}
