namespace WsGame.Api.Game;

/// <summary>
/// Where a player faces. The member names are the wire spelling (<c>"UP"</c>, ...) so that the
/// protocol can use the names as they are.
/// </summary>
public enum Direction
{
    UP,
    DOWN,
    LEFT,
    RIGHT,
}
