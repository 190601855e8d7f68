namespace WsGame.Api.Game;

/// <summary>
/// Players filed by square cells of the arena (by the cell that holds their sprite's top-left corner),
/// so that a question about one area of a big room, such as "whose body could this step touch" or
/// "who is near me", looks at a few cells instead of at every player: the work per question grows with
/// the players near it, not with the room.
/// </summary>
/// <remarks>Pure; not thread-safe: the room's owner serialises every call, as for <see cref="PlayerState"/>.</remarks>
public sealed class PlayerGrid
{
    private readonly Dictionary<long, List<PlayerState>> _cells = [];
    private readonly Dictionary<PlayerState, long> _filedAt = [];

    /// <param name="cellSize">Side of a cell in pixels, at least 1.</param>
    public PlayerGrid(int cellSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellSize, 1);
        CellSize = cellSize;
    }

    public int CellSize { get; }

    public int Count => _filedAt.Count;

    /// <summary>The cell holding the point (<paramref name="left"/>, <paramref name="top"/>), as one key.</summary>
    public long CellAt(int left, int top) => Key(FloorDiv(left), FloorDiv(top));

    /// <summary>The cell <paramref name="player"/> is filed in now (by its current position once <see cref="Place"/>d).</summary>
    public long CellOf(PlayerState player) => CellAt(player.Left, player.Top);

    /// <summary>Files the player by its current position, or refiles it after it moved. Cheap when it stayed in its cell.</summary>
    public void Place(PlayerState player)
    {
        ArgumentNullException.ThrowIfNull(player);
        var cell = CellOf(player);
        if (_filedAt.TryGetValue(player, out var filed))
        {
            if (filed == cell)
            {
                return;
            }
            _cells[filed].Remove(player);
        }
        _filedAt[player] = cell;
        if (!_cells.TryGetValue(cell, out var members))
        {
            members = [];
            _cells[cell] = members;
        }
        members.Add(player);
    }

    public void Remove(PlayerState player)
    {
        ArgumentNullException.ThrowIfNull(player);
        if (_filedAt.Remove(player, out var filed))
        {
            _cells[filed].Remove(player);
        }
    }

    /// <summary>Forgets every player; the cells' lists are kept for the next filing.</summary>
    public void Clear()
    {
        foreach (var members in _cells.Values)
        {
            members.Clear();
        }
        _filedAt.Clear();
    }

    /// <summary>
    /// Adds to <paramref name="into"/> every player whose sprite's top-left corner lies in the rectangle from
    /// (<paramref name="minLeft"/>, <paramref name="minTop"/>) to (<paramref name="maxLeft"/>, <paramref name="maxTop"/>),
    /// edges included, in no particular order.
    /// </summary>
    public void Collect(int minLeft, int minTop, int maxLeft, int maxTop, List<PlayerState> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var (fromX, fromY) = Split(CellAt(minLeft, minTop));
        var (toX, toY) = Split(CellAt(maxLeft, maxTop));
        if (toX < fromX || toY < fromY)
        {
            return;
        }
        if (((long)toX - fromX + 1) * ((long)toY - fromY + 1) > _filedAt.Count)
        {
            // More cells to look up than players filed (a duel's two, say): checking each player is less work. Not
            // the cells' lists: every cell anyone ever walked through keeps one, so there are more of those each minute.
            foreach (var player in _filedAt.Keys)
            {
                if (IsInside(player, minLeft, minTop, maxLeft, maxTop))
                {
                    into.Add(player);
                }
            }
            return;
        }
        for (var y = fromY; y <= toY; y++)
        {
            for (var x = fromX; x <= toX; x++)
            {
                if (_cells.TryGetValue(Key(x, y), out var members))
                {
                    AddInside(members, minLeft, minTop, maxLeft, maxTop, into);
                }
            }
        }
    }

    /// <summary>Adds to <paramref name="into"/> every player filed in <paramref name="cell"/> or one of its eight neighbours.</summary>
    public void CollectAround(long cell, List<PlayerState> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var (cx, cy) = Split(cell);
        for (var y = cy - 1; y <= cy + 1; y++)
        {
            for (var x = cx - 1; x <= cx + 1; x++)
            {
                if (_cells.TryGetValue(Key(x, y), out var members))
                {
                    into.AddRange(members);
                }
            }
        }
    }

    /// <summary>True when the two cells are the same or touch, sides or corners.</summary>
    public static bool AreNeighbours(long a, long b)
    {
        var (ax, ay) = Split(a);
        var (bx, by) = Split(b);
        return Math.Abs((long)ax - bx) <= 1 && Math.Abs((long)ay - by) <= 1;
    }

    private static void AddInside(List<PlayerState> members, int minLeft, int minTop, int maxLeft, int maxTop, List<PlayerState> into)
    {
        foreach (var player in members)
        {
            if (IsInside(player, minLeft, minTop, maxLeft, maxTop))
            {
                into.Add(player);
            }
        }
    }

    private static bool IsInside(PlayerState player, int minLeft, int minTop, int maxLeft, int maxTop) =>
        player.Left >= minLeft && player.Left <= maxLeft && player.Top >= minTop && player.Top <= maxTop;

    private int FloorDiv(int value) => (int)Math.Floor((double)value / CellSize);

    private static long Key(int x, int y) => ((long)y << 32) | (uint)x;

    private static (int X, int Y) Split(long key) => ((int)(key & 0xFFFF_FFFF), (int)(key >> 32));
}
