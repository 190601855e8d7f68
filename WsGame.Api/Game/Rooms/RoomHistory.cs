namespace WsGame.Api.Game.Rooms;

/// <summary>
/// The last messages a room sent, numbered from 0 for the life of the room, so that a member who missed some
/// (a dropped connection, a resume) can be sent them again. Bounded: the oldest falls out as a new one comes in.
/// </summary>
public sealed class RoomHistory(int capacity)
{
    private readonly RoomMessage?[] _ring = new RoomMessage?[capacity];

    /// <summary>The index the next message will get.</summary>
    public long Next { get; private set; }

    public int Capacity => _ring.Length;

    public long Add(RoomMessage message)
    {
        var index = Next++;
        _ring[index % _ring.Length] = message;
        return index;
    }

    public bool TryGet(long index, out RoomMessage message)
    {
        message = null!;
        if (index < 0 || index >= Next || index < Next - _ring.Length)
        {
            return false;
        }
        message = _ring[index % _ring.Length]!;
        return true;
    }
}
