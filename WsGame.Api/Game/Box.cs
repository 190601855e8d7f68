namespace WsGame.Api.Game;

/// <summary>
/// An axis-aligned rectangle in arena pixels (y grows downwards). Edges may lie on half pixels, because a
/// body is centred in its sprite. Boxes that only touch along an edge do not intersect.
/// </summary>
public readonly record struct Box(double Left, double Top, double Width, double Height)
{
    public double Right => Left + Width;

    public double Bottom => Top + Height;

    /// <summary>True when the two boxes share some area (touching edges is not enough).</summary>
    public bool Intersects(Box other) =>
        Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;

    /// <summary>True when the two boxes' vertical extents overlap, ignoring where they are horizontally.</summary>
    public bool OverlapsVertically(Box other) => Top < other.Bottom && other.Top < Bottom;

    /// <summary>True when the two boxes' horizontal extents overlap, ignoring where they are vertically.</summary>
    public bool OverlapsHorizontally(Box other) => Left < other.Right && other.Left < Right;
}
