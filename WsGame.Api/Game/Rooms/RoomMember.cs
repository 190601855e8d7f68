namespace WsGame.Api.Game.Rooms;

/// <summary>
/// Someone a room sends to: a player's seat or a spectator. Each has its own stream of numbered messages
/// (<see cref="LastSeq"/>), which goes on while a seat is held for a player whose connection dropped, so a
/// resume can replay exactly what was missed. The member names its connection by an opaque key, 0 while away.
/// Owned by its room: only the room's step changes it.
/// </summary>
public sealed class RoomMember
{
    private const int InitialIndexCapacity = 8;

    private readonly int _indexCapacity;

    // Where in the room's history the message of each of the last sequence numbers is, by seq modulo length.
    private long[] _indexBySeq = new long[InitialIndexCapacity];

    internal RoomMember(string id, string name, bool spectator, long connection, int historyCapacity)
    {
        Id = id;
        Name = name;
        IsSpectator = spectator;
        Connection = connection;
        _indexCapacity = (int)Math.Max(InitialIndexCapacity, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)historyCapacity));
    }

    /// <summary>The player's id, or the spectator's (<c>s</c> and a number).</summary>
    public string Id { get; }

    public string Name { get; }

    public bool IsSpectator { get; }

    /// <summary>The key of the connection this member's messages go to; 0 while the seat is held for a player who is away.</summary>
    public long Connection { get; internal set; }

    public bool Connected => Connection != 0;

    /// <summary>
    /// Whatever the room's host keeps here to reach the member's connection without a lookup by key (the host
    /// checks it still matches <see cref="Connection"/>). The room itself never reads it.
    /// </summary>
    public object? Attachment { get; set; }

    /// <summary>The number of the last message put in this member's stream (0: none yet).</summary>
    public long LastSeq { get; private set; }

    /// <summary>
    /// Set by the room's host (when a send fills the queue that far, and cleared before a tick once it drained): the
    /// member's connection has more queued than it should, so it skips updates and gets a snapshot once it has
    /// caught up (other messages still go to it).
    /// </summary>
    public bool Behind { get; set; }

    internal bool NeedsSnapshot { get; set; }

    /// <summary>With a view distance: the cell whose neighbourhood this member was last told about in full.</summary>
    internal long? ViewCell { get; set; }

    /// <summary>A player's current resume token (one use); null for a spectator.</summary>
    internal string? Token { get; set; }

    /// <summary>When the connection of a held seat dropped.</summary>
    internal TimeSpan? AwaySince { get; set; }

    /// <summary>A seat's player in the room's rules, kept here so a move finds it without a lookup by id.</summary>
    internal PlayerState? Player { get; set; }

    /// <summary>The profile a seat's player plays under, its rating and record kept current after each round; null for none.</summary>
    public Results.PlayerProfile? Profile { get; internal set; }

    /// <summary>Hits this seat's player landed in the current round.</summary>
    internal int HitsDealt { get; set; }

    /// <summary>Gives the next number in this stream to the message kept at <paramref name="historyIndex"/>.</summary>
    internal long Assign(long historyIndex)
    {
        var seq = ++LastSeq;
        if (seq > _indexBySeq.Length && _indexBySeq.Length < _indexCapacity)
        {
            Grow();
        }
        _indexBySeq[seq & (_indexBySeq.Length - 1)] = historyIndex;
        return seq;
    }

    /// <summary>Where the message numbered <paramref name="seq"/> is kept, if this member still knows.</summary>
    internal bool TryGetHistoryIndex(long seq, out long historyIndex)
    {
        historyIndex = 0;
        if (seq <= 0 || seq > LastSeq || seq <= LastSeq - _indexBySeq.Length)
        {
            return false;
        }
        historyIndex = _indexBySeq[seq & (_indexBySeq.Length - 1)];
        return true;
    }

    private void Grow()
    {
        var bigger = new long[_indexBySeq.Length * 2];
        for (var seq = Math.Max(1, LastSeq - _indexBySeq.Length); seq < LastSeq; seq++)
        {
            bigger[seq & (bigger.Length - 1)] = _indexBySeq[seq & (_indexBySeq.Length - 1)];
        }
        _indexBySeq = bigger;
    }
}
