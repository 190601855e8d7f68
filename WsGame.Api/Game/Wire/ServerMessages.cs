using System.Text.Json;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Game.Wire;

/// <summary>
/// Every message the server sends on <c>/ws</c>, as framed text ready to queue (docs/protocol.md).
/// Each returned <see cref="OutboundMessage"/> is owned by the caller, who releases it after
/// queueing it to its recipients.
/// </summary>
public static class ServerMessages
{
    public const string InvalidJson = "Invalid JSON format.";
    public const string NotJoined = "Invalid message format or not joined.";
    public const string BinaryNotSupported = "Binary messages are not supported: send JSON text.";
    public const string RoomFull = "Many peoples";

    public static OutboundMessage Error(string message, string? field = null, int? code = null)
    {
        var json = JsonFrameBuilder.Start();
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("type"u8, "error"u8);
        if (code is not null)
        {
            w.WriteNumber("code"u8, code.Value);
        }
        w.WriteString("message"u8, message);
        if (field is not null)
        {
            w.WriteString("field"u8, field);
        }
        w.WriteEndObject();
        return json.ToFrame();
    }

    /// <summary>The seed's answer to a client that leaves.</summary>
    public static OutboundMessage LeaveSuccess()
    {
        var json = JsonFrameBuilder.Start();
        json.Writer.WriteStartObject();
        json.Writer.WriteNumber("code"u8, 0);
        json.Writer.WriteString("message"u8, "success"u8);
        json.Writer.WriteEndObject();
        return json.ToFrame();
    }

    public static OutboundMessage Status(string message, string playerId)
    {
        var json = JsonFrameBuilder.Start();
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("type"u8, "status"u8);
        w.WriteString("message"u8, message);
        w.WriteString("id"u8, playerId);
        w.WriteEndObject();
        return json.ToFrame();
    }

    public static OutboundMessage Chat(PlayerState sender, string message)
    {
        var json = JsonFrameBuilder.Start();
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("type"u8, "chat"u8);
        w.WriteString("sender"u8, sender.Name);
        w.WriteString("id"u8, sender.Id);
        w.WriteString("message"u8, message);
        w.WriteEndObject();
        return json.ToFrame();
    }

    public static OutboundMessage Correction(PlayerState player)
    {
        var json = JsonFrameBuilder.Start();
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("type"u8, "correction"u8);
        w.WriteString("id"u8, player.Id);
        w.WriteNumber("left"u8, player.Left);
        w.WriteNumber("top"u8, player.Top);
        w.WriteEndObject();
        return json.ToFrame();
    }

    public static OutboundMessage Welcome(PlayerState you, string room, GameOptions options, IEnumerable<PlayerState> players, int round)
    {
        var json = JsonFrameBuilder.Start();
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("type"u8, "welcome"u8);
        w.WriteString("id"u8, you.Id);
        w.WriteString("room"u8, room);
        w.WriteStartObject("arena"u8);
        w.WriteNumber("width"u8, options.ArenaWidth);
        w.WriteNumber("height"u8, options.ArenaHeight);
        w.WriteNumber("sprite"u8, options.SpriteSize);
        w.WriteNumber("view"u8, options.ViewDistance);
        w.WriteEndObject();
        w.WriteNumber("tickRate"u8, options.TickRate);
        w.WritePropertyName("you"u8);
        WritePlayer(w, you);
        WritePlayers(w, "players"u8, players);
        w.WriteNumber("round"u8, round);
        w.WriteEndObject();
        return json.ToFrame();
    }

    public static OutboundMessage Round(int round, IEnumerable<PlayerState> players)
    {
        var json = JsonFrameBuilder.Start();
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("type"u8, "round"u8);
        w.WriteNumber("round"u8, round);
        WritePlayers(w, "players"u8, players);
        w.WriteEndObject();
        return json.ToFrame();
    }

    public static OutboundMessage Snapshot(long tick, int round, IEnumerable<PlayerState> players)
    {
        var json = JsonFrameBuilder.Start();
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("type"u8, "snapshot"u8);
        w.WriteNumber("tick"u8, tick);
        w.WriteNumber("round"u8, round);
        WritePlayers(w, "players"u8, players);
        w.WriteEndObject();
        return json.ToFrame();
    }

    public static OutboundMessage KnockOut(RoundEnd end)
    {
        var json = JsonFrameBuilder.Start();
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("type"u8, "ko"u8);
        w.WriteString("loser"u8, end.LoserIds.Count > 0 ? end.LoserIds[0] : "");
        w.WriteString("winner"u8, end.WinnerId);
        w.WriteNumber("round"u8, end.Round);
        w.WriteString("reason"u8, end.Reason == RoundEndReason.KnockOut ? "knockout" : "left");
        w.WriteEndObject();
        return json.ToFrame();
    }

    /// <summary>A player's whole state, as in welcome, joined, round and snapshot.</summary>
    public static void WritePlayer(Utf8JsonWriter w, PlayerState player)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, player.Id);
        w.WriteString("name"u8, player.Name);
        w.WriteString("sprite"u8, player.Sprite);
        WriteMotion(w, player);
        w.WriteNumber("wins"u8, player.Wins);
        w.WriteEndObject();
    }

    /// <summary>What changes from tick to tick: position, facing, status, energy.</summary>
    public static void WriteMotion(Utf8JsonWriter w, PlayerState player)
    {
        w.WriteNumber("left"u8, player.Left);
        w.WriteNumber("top"u8, player.Top);
        w.WriteString("direction"u8, DirectionName(player.Direction));
        w.WriteString("status"u8, StatusName(player.Status));
        w.WriteNumber("energy"u8, player.Energy);
    }

    public static ReadOnlySpan<byte> DirectionName(Direction direction) => direction switch
    {
        Direction.UP => "UP"u8,
        Direction.DOWN => "DOWN"u8,
        Direction.LEFT => "LEFT"u8,
        _ => "RIGHT"u8,
    };

    public static ReadOnlySpan<byte> StatusName(PlayerStatus status) => status switch
    {
        PlayerStatus.MOVE => "MOVE"u8,
        PlayerStatus.ATTACK => "ATTACK"u8,
        _ => "STAY"u8,
    };

    private static void WritePlayers(Utf8JsonWriter w, ReadOnlySpan<byte> name, IEnumerable<PlayerState> players)
    {
        w.WriteStartArray(name);
        foreach (var player in players)
        {
            WritePlayer(w, player);
        }
        w.WriteEndArray();
    }
}
