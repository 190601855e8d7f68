using System.Text.Json;

namespace WsGame.Api.Game.Wire;

/// <summary>The wire spelling of the game's enums (the member names themselves), read without allocating.</summary>
public static class WireNames
{
    /// <summary>A round's end as the ko message and the stored match spell it.</summary>
    public static string ReasonName(RoundEndReason reason) => reason switch
    {
        RoundEndReason.KnockOut => "knockout",
        RoundEndReason.Forfeit => "forfeit",
        _ => "left",
    };

    public static bool TryReadDirection(ref Utf8JsonReader reader, out Direction direction)
    {
        direction = reader.ValueTextEquals("UP"u8) ? Direction.UP
            : reader.ValueTextEquals("DOWN"u8) ? Direction.DOWN
            : reader.ValueTextEquals("LEFT"u8) ? Direction.LEFT
            : reader.ValueTextEquals("RIGHT"u8) ? Direction.RIGHT
            : (Direction)(-1);
        return Enum.IsDefined(direction);
    }

    public static bool TryReadStatus(ref Utf8JsonReader reader, out PlayerStatus status)
    {
        status = reader.ValueTextEquals("STAY"u8) ? PlayerStatus.STAY
            : reader.ValueTextEquals("MOVE"u8) ? PlayerStatus.MOVE
            : reader.ValueTextEquals("ATTACK"u8) ? PlayerStatus.ATTACK
            : (PlayerStatus)(-1);
        return Enum.IsDefined(status);
    }
}
