using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Game.Session;

/// <summary>
/// A connection on <c>/ws</c>, the room it talks to, and how many of its inputs wait for that room. Its read
/// loop posts inputs; past <see cref="GameOptions.MaxPendingInputs"/> it waits (without a lock or a thread)
/// until the room has handled half of them, so that TCP pushes back on a client that sends faster than its
/// room can handle.
/// </summary>
public sealed class GameClient(WebSocketConnection connection)
{
    private RoomActor? _room;
    private string? _playerId;
    private int _pending;
    private TaskCompletionSource? _drained;

    public WebSocketConnection Connection { get; } = connection;

    /// <summary>The opaque key a room knows this connection by.</summary>
    public long Key => Connection.Id;

    /// <summary>The room this client's inputs go to: set when a join, resume or spectate is sent there, cleared when the room lets it go.</summary>
    public RoomActor? Room
    {
        get => Volatile.Read(ref _room);
        internal set => Volatile.Write(ref _room, value);
    }

    /// <summary>The player's id once a room gave it a seat; null for a spectator and before.</summary>
    public string? PlayerId
    {
        get => Volatile.Read(ref _playerId);
        internal set => Volatile.Write(ref _playerId, value);
    }

    public DateTimeOffset ConnectedAt => Connection.OpenedAt;

    internal int PendingInputs => Volatile.Read(ref _pending);

    /// <summary>Inputs of this client its room holds back behind congestion (read and written by the room's turn only).</summary>
    internal int HeldInputs { get; set; }

    /// <summary>Counts an input handed to the room; the task completes when the client may read on.</summary>
    internal ValueTask InputPosted(int limit)
    {
        if (Interlocked.Increment(ref _pending) < limit)
        {
            return ValueTask.CompletedTask;
        }
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        // The room may have caught up between the increment and now: then nobody else would wake us.
        if (Volatile.Read(ref _pending) <= limit / 2 && Interlocked.Exchange(ref _drained, null) is { } self)
        {
            self.TrySetResult();
        }
        return new ValueTask(drained.Task);
    }

    /// <summary>Called by the room for each input of this client it handled.</summary>
    internal void InputHandled(int limit)
    {
        if (Interlocked.Decrement(ref _pending) <= limit / 2 && Volatile.Read(ref _drained) is not null
            && Interlocked.Exchange(ref _drained, null) is { } waiting)
        {
            waiting.TrySetResult();
        }
    }

    /// <summary>The connection closed: a read loop waiting on its room must not wait on.</summary>
    internal void Closed() => Interlocked.Exchange(ref _drained, null)?.TrySetResult();
}
