using WsGame.Api.Game;

namespace WsGame.Api.Tests.Game;

/// <summary>Builders shared by the game tests. With the default options a body sits 24 px right of and 32 px below its sprite's corner.</summary>
internal static class GameTestKit
{
    public static GameOptions Options(Action<GameOptions>? tweak = null)
    {
        var options = new GameOptions();
        tweak?.Invoke(options);
        return options;
    }

    /// <summary>A live player with full default energy and no move credit, at a chosen spot.</summary>
    public static PlayerState Player(string id, int left, int top, Direction facing = Direction.RIGHT) =>
        new(id, id, "knight") { Left = left, Top = top, Direction = facing, Energy = 30 };

    /// <summary>A duel room with both players in and round 1 live.</summary>
    public static (RoomRules Room, PlayerState A, PlayerState B) Duel(Action<GameOptions>? tweak = null)
    {
        var room = new RoomRules(Options(tweak));
        var a = room.Join("a", "Alice", "knight").Player!;
        var b = room.Join("b", "Bob", "ninja").Player!;
        return (room, a, b);
    }

    /// <summary>
    /// Puts <paramref name="victim"/> right in front of <paramref name="attacker"/> (facing RIGHT), bodies touching
    /// (attacker body 124..172, victim body 172..220), through the room, which files positions in a grid.
    /// </summary>
    public static void FaceToFace(RoomRules room, PlayerState attacker, PlayerState victim)
    {
        attacker.Direction = Direction.RIGHT;
        room.PutAt(attacker, 100, 150);
        room.PutAt(victim, 148, 150);
    }

    public static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);
}
