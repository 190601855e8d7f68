namespace WsGame.Api.Game;

/// <summary>
/// Start positions for the slots of a room. Even slots stand on the left facing RIGHT, odd slots on the
/// right facing LEFT, so slot 0 and slot 1 are the two duellists facing each other across the arena.
/// </summary>
/// <remarks>
/// Each side is a grid that fills rows first (centred vertically) and then columns from the wall inwards.
/// Neighbouring rows are at least a body height apart and neighbouring columns at least a body width,
/// also across the middle, so no two bodies overlap; where there is room they are a whole sprite apart.
/// The whole sprite box is inside the arena. The layout depends only on the options and the slot count.
/// </remarks>
internal static class SpawnLayout
{
    /// <summary>How many slots fit without bodies overlapping; 0 when the sprite does not fit the arena.</summary>
    public static int MaxSlots(GameOptions options)
    {
        var (rows, columns) = MaxGrid(options);
        return 2 * rows * (columns / 2);
    }

    /// <summary>Start positions for slots 0 .. <paramref name="slotCount"/> - 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More slots than <see cref="MaxSlots"/>.</exception>
    public static SpawnPoint[] Compute(GameOptions options, int slotCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slotCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slotCount, MaxSlots(options));
        if (slotCount == 0)
        {
            return [];
        }

        var (maxRows, maxColumns) = MaxGrid(options);
        int perSide = (slotCount + 1) / 2; // the left side has the extra player when the count is odd
        int rows = Math.Min(perSide, maxRows);
        int columnsPerSide = (perSide + rows - 1) / rows;

        int spanX = options.ArenaWidth - options.SpriteSize;
        int spanY = options.ArenaHeight - options.SpriteSize;
        // Integer pitches: MaxGrid guarantees span / (n - 1) >= body size, so rounding down keeps bodies apart.
        int pitchX = Pitch(spanX, 2 * columnsPerSide, options.SpriteSize);
        int pitchY = Pitch(spanY, rows, options.SpriteSize);
        int firstTop = (spanY - (rows - 1) * pitchY) / 2;

        var points = new SpawnPoint[slotCount];
        for (int slot = 0; slot < slotCount; slot++)
        {
            int indexInSide = slot / 2;
            int row = indexInSide % rows;
            int column = indexInSide / rows;
            int top = firstTop + row * pitchY;
            points[slot] = slot % 2 == 0
                ? new SpawnPoint(column * pitchX, top, Direction.RIGHT)
                : new SpawnPoint(spanX - column * pitchX, top, Direction.LEFT);
        }

        return points;
    }

    private static (int Rows, int Columns) MaxGrid(GameOptions options)
    {
        int spanX = options.ArenaWidth - options.SpriteSize;
        int spanY = options.ArenaHeight - options.SpriteSize;
        if (spanX < 0 || spanY < 0)
        {
            return (0, 0);
        }

        // Sprite positions a body width (height) apart, from one wall to the other, inclusive.
        return (spanY / options.BodyHeight + 1, spanX / options.BodyWidth + 1);
    }

    private static int Pitch(int span, int count, int spriteSize) =>
        count <= 1 ? 0 : Math.Min(span / (count - 1), spriteSize);
}
