using System.Collections.Concurrent;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// Every open connection, for the keep-alive ticks, graceful shutdown and statistics. Thread-safe.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<long, WebSocketConnection> _open = new();
    private readonly ConcurrentDictionary<int, long> _closedByCode = new();
    private long _nextId;
    private long _bytesIn;
    private long _bytesOut;
    private long _total;

    public int OpenCount => _open.Count;

    /// <summary>WebSocket bytes received (frames, headers included) on every connection since start.</summary>
    public long BytesIn => Interlocked.Read(ref _bytesIn);

    /// <summary>WebSocket bytes written (frames, headers included) on every connection since start.</summary>
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    internal void CountBytesIn(long bytes) => Interlocked.Add(ref _bytesIn, bytes);

    internal void CountBytesOut(long bytes) => Interlocked.Add(ref _bytesOut, bytes);

    public long TotalOpened => Interlocked.Read(ref _total);

    /// <summary>
    /// The open connections, read live from the registry rather than copied: the keep-alive tick walks
    /// them every second, and a copy of 10,000 references each time was garbage enough to show in the
    /// idle memory per connection. A connection opened or closed during the walk may or may not appear.
    /// </summary>
    public IEnumerable<WebSocketConnection> Open
    {
        get
        {
            foreach (var (_, connection) in _open)
            {
                yield return connection;
            }
        }
    }

    internal long NextId() => Interlocked.Increment(ref _nextId);

    internal void Add(WebSocketConnection connection)
    {
        _open[connection.Id] = connection;
        Interlocked.Increment(ref _total);
    }

    /// <summary>Connections that ended, by close code (1006 for those dropped without a close handshake).</summary>
    public IReadOnlyDictionary<int, long> ClosedByCode => _closedByCode;

    internal void Remove(WebSocketConnection connection)
    {
        _open.TryRemove(connection.Id, out _);
        var code = (int)(connection.Summary?.Code ?? WebSockets.Protocol.CloseCode.AbnormalClosure);
        _closedByCode.AddOrUpdate(code, 1, (_, count) => count + 1);
    }

    public bool TryGet(long id, out WebSocketConnection connection) => _open.TryGetValue(id, out connection!);
}
