using System.Diagnostics;
using System.Globalization;

namespace WsGame.Bench;

/// <summary>
/// The broadcasts in flight, one per broadcaster: how many members still have to receive it, and
/// when the last one did. Members call <see cref="Received"/> from their receive loops (many threads);
/// each broadcaster waits on its own slot, so there is no shared lock.
/// </summary>
public sealed class FanOutBroadcasts(int broadcasters)
{
    private readonly Slot[] _slots = Enumerable.Range(0, broadcasters).Select(_ => new Slot()).ToArray();

    public int Broadcasters => broadcasters;

    /// <summary>Broadcasts that arrived after their broadcaster had given up on them (counted lost already).</summary>
    public int Late => _late;

    private int _late;

    /// <summary>The chat text of a broadcast: broadcaster and sequence, unique in the run.</summary>
    public static string Text(int broadcaster, long sequence) => $"fo {broadcaster} {sequence}";

    public static bool TryParse(string text, out int broadcaster, out long sequence)
    {
        broadcaster = -1;
        sequence = 0;
        var parts = text.Split(' ');
        return parts.Length == 3 && parts[0] == "fo"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out broadcaster)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>Arms the broadcaster's slot for a new message that <paramref name="recipients"/> members must receive.</summary>
    public Task<long> Arm(int broadcaster, long sequence, int recipients)
    {
        var slot = _slots[broadcaster];
        slot.Done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref slot.Remaining, recipients);
        Volatile.Write(ref slot.Sequence, sequence); // last: receivers check it first
        return slot.Done.Task;
    }

    /// <summary>Gives up on the broadcaster's current message (it timed out); later arrivals count as late.</summary>
    public void Disarm(int broadcaster) => Volatile.Write(ref _slots[broadcaster].Sequence, -1);

    /// <summary>One member got a broadcast; the last member to get it completes the broadcaster's wait with the time.</summary>
    public void Received(int broadcaster, long sequence)
    {
        var slot = _slots[broadcaster];
        if (Volatile.Read(ref slot.Sequence) != sequence)
        {
            Interlocked.Increment(ref _late);
            return;
        }
        if (Interlocked.Decrement(ref slot.Remaining) == 0)
        {
            slot.Done.TrySetResult(Stopwatch.GetTimestamp());
        }
    }

    private sealed class Slot
    {
        public long Sequence = -1;
        public int Remaining;
        public TaskCompletionSource<long> Done = new();
    }
}
