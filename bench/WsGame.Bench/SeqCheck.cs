namespace WsGame.Bench;

/// <summary>
/// Checks one member's numbered stream (WsGame numbers everything after the welcome, 1, 2, 3, ..., and a resume
/// continues the numbers): each message must be the last one plus one. A number seen again is a duplicate; a jump
/// counts the numbers skipped as gaps, except at a <c>snapshot</c>, which stands in for what it skips (the server
/// sends one when the missed messages are no longer kept, or to a member that fell behind). Written by one receive
/// loop at a time; read once the loops are done.
/// </summary>
public sealed class SeqCheck
{
    /// <summary>The highest number seen so far (0: none yet): what a resume says it saw.</summary>
    public long Last { get; private set; }

    public long Messages { get; private set; }

    /// <summary>Numbers skipped without a snapshot in their place: messages lost.</summary>
    public long Gaps { get; private set; }

    public long Duplicates { get; private set; }

    /// <summary>Snapshots, whether they skipped numbers or not.</summary>
    public long Snapshots { get; private set; }

    /// <summary>Until this is cleared, messages are checked and counted; the teardown's own messages are not.</summary>
    public bool Counting { get; set; } = true;

    /// <summary>Checks message number <paramref name="seq"/>; returns false for a duplicate (already seen).</summary>
    public bool Observe(long seq, bool snapshot)
    {
        if (!Counting)
        {
            var fresh = seq > Last;
            Last = Math.Max(Last, seq);
            return fresh;
        }
        Messages++;
        if (snapshot)
        {
            Snapshots++;
        }
        if (seq <= Last)
        {
            Duplicates++;
            return false;
        }
        if (seq > Last + 1 && !snapshot)
        {
            Gaps += seq - Last - 1;
        }
        Last = seq;
        return true;
    }
}
