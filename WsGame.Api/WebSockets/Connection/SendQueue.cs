namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// A connection's frames waiting to be written: any thread queues, the holder of the write lock takes.
/// A small ring under a lock, with no storage until the first message, because most of a server's
/// connections are idle most of the time: a <c>ConcurrentQueue</c> takes 768 bytes per connection from
/// the start (its first segment has 32 slots), which showed as a fifth of the idle memory per connection
/// by which WsGame trailed the framework's WebSocket.
/// </summary>
internal sealed class SendQueue
{
    // A ring that grew past this for a burst is dropped once drained, so a connection that backed
    // up once does not keep its high-water mark.
    private const int KeptCapacity = 64;

    private readonly object _gate = new();
    private Entry[] _ring = [];
    private int _head;
    private int _count;

    /// <summary>Read without the lock: a writer that sees a stale value looks again after it lets go of the write lock.</summary>
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    /// <summary>
    /// One frame to write and, when <paramref name="Sequence"/> is not negative, the number to put before it;
    /// <paramref name="Kind"/> says what it counts toward.
    /// </summary>
    public readonly record struct Entry(OutboundMessage Message, long Sequence, SendKind Kind);

    public void Enqueue(OutboundMessage message, long sequence = -1, SendKind kind = SendKind.Pushed)
    {
        lock (_gate)
        {
            if (_count == _ring.Length)
            {
                Grow();
            }
            _ring[(_head + _count) & (_ring.Length - 1)] = new Entry(message, sequence, kind);
            Volatile.Write(ref _count, _count + 1);
        }
    }

    public bool TryTake(out Entry entry)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                entry = default;
                return false;
            }
            entry = _ring[_head];
            _ring[_head] = default;
            _head = (_head + 1) & (_ring.Length - 1);
            Volatile.Write(ref _count, _count - 1);
            if (_count == 0 && _ring.Length > KeptCapacity)
            {
                _ring = [];
                _head = 0;
            }
            return true;
        }
    }

    /// <summary>Doubles the ring (a power of two, from 4), keeping the order.</summary>
    private void Grow()
    {
        var bigger = new Entry[Math.Max(4, _ring.Length * 2)];
        for (var i = 0; i < _count; i++)
        {
            bigger[i] = _ring[(_head + i) & (_ring.Length - 1)];
        }
        _ring = bigger;
        _head = 0;
    }
}
