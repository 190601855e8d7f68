namespace WsGame.Api.Game.Rooms;

/// <summary>
/// The numbering of the messages a room put in its members' streams, from 0 for the life of the room, and which
/// of them can still be sent again (a dropped connection, a resume): the last <see cref="Capacity"/>. The room
/// keeps only the numbers: the host keeps the bytes of each (it framed them anyway), so no message object stays
/// alive for a replay that seldom comes; a message kept for seconds is what makes a garbage collector work.
/// </summary>
public sealed class RoomHistory(int capacity)
{
    /// <summary>The index the next message will get.</summary>
    public long Next { get; private set; }

    public int Capacity { get; } = capacity;

    public long Add() => Next++;

    /// <summary>Whether message <paramref name="index"/> is still kept to be sent again.</summary>
    public bool Holds(long index) => index >= 0 && index < Next && index >= Next - Capacity;
}
