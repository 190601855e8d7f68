namespace WsGame.Bench;

/// <summary>
/// A bot's recent moves (position and send time by sequence number) in a ring, written by the bot's
/// move loop and read by the observers' receive loops on other threads without a lock: an entry is
/// written before the sequence number that publishes it.
/// </summary>
public sealed class MoveTrack
{
    /// <summary>Moves kept: 100 s at 10 Hz, far beyond any latency worth measuring.</summary>
    public const int Capacity = 1024;

    private readonly int[] _left = new int[Capacity];
    private readonly int[] _top = new int[Capacity];
    private readonly long[] _sent = new long[Capacity];
    private long _latest;

    /// <summary>Sequence number of the latest move (1, 2, ...); 0 before the first.</summary>
    public long Latest => Volatile.Read(ref _latest);

    /// <summary>Records the next move, before it is sent.</summary>
    public void Add(int left, int top, long sentTimestamp)
    {
        var sequence = _latest + 1;
        var slot = (int)(sequence % Capacity);
        _left[slot] = left;
        _top[slot] = top;
        _sent[slot] = sentTimestamp;
        Volatile.Write(ref _latest, sequence);
    }

    /// <summary>The move with this sequence number, if still in the ring.</summary>
    public bool TryGet(long sequence, out int left, out int top, out long sentTimestamp)
    {
        var slot = (int)(sequence % Capacity);
        left = _left[slot];
        top = _top[slot];
        sentTimestamp = _sent[slot];
        var latest = Latest;
        return sequence >= 1 && sequence <= latest && sequence > latest - Capacity;
    }
}

/// <summary>
/// Where a bot walks: a closed loop over an 8 x 8 grid of points 4 px apart (64 distinct positions,
/// 40 px/s at 10 Hz, far under the 200 px/s limit), starting at its spawn point and extending into the
/// arena. Neighbouring spawn points are at least 32 px apart between bodies, and all bots walk the same
/// way, so bodies never touch and the server never has to correct a move. Distinct positions let an
/// observer tell which move an update shows.
/// </summary>
public static class GamePath
{
    public const int Step = 4;
    public const int Side = 8;
    public const int Extent = Step * (Side - 1);

    private static readonly (int X, int Y)[] Cells = BuildCycle();

    /// <summary>Offset from the spawn point, in grid steps times <see cref="Step"/>, for move number <paramref name="sequence"/>.</summary>
    public static (int Dx, int Dy) Offset(long sequence)
    {
        var (x, y) = Cells[(int)(sequence % Cells.Length)];
        return (x * Step, y * Step);
    }

    /// <summary>Row 0 left to right, rows 1..7 snaking over columns 1..7, then column 0 back up: a Hamiltonian cycle of neighbours.</summary>
    private static (int, int)[] BuildCycle()
    {
        var cells = new List<(int, int)>();
        for (var x = 0; x < Side; x++)
        {
            cells.Add((x, 0));
        }
        for (var y = 1; y < Side; y++)
        {
            if (y % 2 == 1)
            {
                for (var x = Side - 1; x >= 1; x--)
                {
                    cells.Add((x, y));
                }
            }
            else
            {
                for (var x = 1; x < Side; x++)
                {
                    cells.Add((x, y));
                }
            }
        }
        for (var y = Side - 1; y >= 1; y--)
        {
            cells.Add((0, y));
        }
        return [.. cells];
    }
}
