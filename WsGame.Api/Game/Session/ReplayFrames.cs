using System.Numerics;

namespace WsGame.Api.Game.Session;

/// <summary>
/// The bytes of a room's last numbered messages, by the room's message number (<see cref="Rooms.RoomHistory"/>),
/// so a resume can be sent them again: the payload of each shared body frame, copied when it is first framed.
/// One buffer per slot, reused as the numbers go round and grown only for a longer message, so steady traffic
/// allocates nothing and no message object is kept alive for seconds (the garbage collector's costly kind).
/// Used by the room's turn only: not thread-safe.
/// </summary>
internal sealed class ReplayFrames(int capacity)
{
    private readonly byte[]?[] _bytes = new byte[]?[capacity];
    private readonly int[] _lengths = new int[capacity];
    private readonly long[] _numbers = CreateNumbers(capacity);

    public void Keep(long number, ReadOnlySpan<byte> payload)
    {
        var slot = (int)(number % _bytes.Length);
        var buffer = _bytes[slot];
        if (buffer is null || buffer.Length < payload.Length)
        {
            // Rounded up so that a slot whose messages vary a little in length is not grown again and again.
            _bytes[slot] = buffer = new byte[Math.Max(128, (int)BitOperations.RoundUpToPowerOf2((uint)payload.Length))];
        }
        payload.CopyTo(buffer);
        _lengths[slot] = payload.Length;
        _numbers[slot] = number;
    }

    /// <summary>The payload kept for message <paramref name="number"/>; false when it is gone (or was never kept).</summary>
    public bool TryGet(long number, out ReadOnlySpan<byte> payload)
    {
        var slot = (int)(number % _bytes.Length);
        if (number < 0 || _numbers[slot] != number)
        {
            payload = default;
            return false;
        }
        payload = _bytes[slot].AsSpan(0, _lengths[slot]);
        return true;
    }

    private static long[] CreateNumbers(int capacity)
    {
        var numbers = new long[capacity];
        Array.Fill(numbers, -1L);
        return numbers;
    }
}
