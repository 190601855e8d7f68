namespace WsGame.Api.Game.Session;

/// <summary>Counters of the game, for the stats API and metrics. Thread-safe, lock-free.</summary>
public sealed class GameStats
{
    private long _messagesIn;
    private long _messagesOut;
    private long _ticks;
    private long _broadcasts;
    private long _fanOut;
    private long _maxFanOut;
    private long _rounds;
    private long _knockOuts;
    private long _errors;

    public long MessagesIn => Interlocked.Read(ref _messagesIn);
    public long MessagesOut => Interlocked.Read(ref _messagesOut);
    public long Ticks => Interlocked.Read(ref _ticks);
    public long Rounds => Interlocked.Read(ref _rounds);
    public long KnockOuts => Interlocked.Read(ref _knockOuts);
    /// <summary>Error answers sent to clients (bad JSON, unknown type, bad field, full room, ...).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Recipients per room broadcast, on average since start.</summary>
    public double AverageFanOut => Interlocked.Read(ref _broadcasts) is var count and > 0 ? (double)Interlocked.Read(ref _fanOut) / count : 0;

    public long MaxFanOut => Interlocked.Read(ref _maxFanOut);

    internal void MessageIn() => Interlocked.Increment(ref _messagesIn);
    internal void MessagesSent(int count) => Interlocked.Add(ref _messagesOut, count);
    internal void Tick() => Interlocked.Increment(ref _ticks);
    internal void RoundStarted() => Interlocked.Increment(ref _rounds);
    internal void KnockOut() => Interlocked.Increment(ref _knockOuts);
    internal void Error() => Interlocked.Increment(ref _errors);

    /// <summary>What one step of a room counted.</summary>
    internal void Counted(int roundsStarted, int knockOuts, int errors)
    {
        if (roundsStarted > 0)
        {
            Interlocked.Add(ref _rounds, roundsStarted);
        }
        if (knockOuts > 0)
        {
            Interlocked.Add(ref _knockOuts, knockOuts);
        }
        if (errors > 0)
        {
            Interlocked.Add(ref _errors, errors);
        }
    }

    internal void Broadcast(int recipients)
    {
        Interlocked.Increment(ref _broadcasts);
        Interlocked.Add(ref _fanOut, recipients);
        long max;
        while (recipients > (max = Interlocked.Read(ref _maxFanOut)) && Interlocked.CompareExchange(ref _maxFanOut, recipients, max) != max)
        {
        }
    }
}
