using System.Text.Json;
using WsGame.Api.Game.Rooms;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Game.Wire;

/// <summary>
/// The JSON of every <see cref="RoomMessage"/> (docs/protocol.md), framed once for all its recipients: as a
/// whole text frame for an answer outside the numbered stream, or as the shared body of a sequenced message
/// (<see cref="SequencedFrames"/>) that each recipient gets behind its own <c>seq</c>.
/// </summary>
public static class RoomMessageWriter
{
    /// <summary>Frames <paramref name="message"/>; the caller owns the returned reference.</summary>
    public static OutboundMessage Frame(RoomMessage message, bool sequenced)
    {
        var json = JsonFrameBuilder.Start();
        Write(json.Writer, message);
        return sequenced ? json.ToSequencedBody() : json.ToFrame();
    }

    public static void Write(Utf8JsonWriter w, RoomMessage message)
    {
        w.WriteStartObject();
        switch (message)
        {
            case UpdateMessage update: WriteUpdate(w, update); break;
            case ChatMessage chat:
                w.WriteString("type"u8, "chat"u8);
                w.WriteString("sender"u8, chat.Sender);
                w.WriteString("id"u8, chat.Id);
                w.WriteString("message"u8, chat.Message);
                if (chat.Spectator)
                {
                    w.WriteBoolean("spectator"u8, true);
                }
                break;
            case StatusMessage status:
                w.WriteString("type"u8, "status"u8);
                w.WriteString("message"u8, status.Message);
                w.WriteString("id"u8, status.Id);
                break;
            case CorrectionMessage correction:
                w.WriteString("type"u8, "correction"u8);
                w.WriteString("id"u8, correction.Id);
                w.WriteNumber("left"u8, correction.Left);
                w.WriteNumber("top"u8, correction.Top);
                break;
            case ErrorMessage error:
                w.WriteString("type"u8, "error"u8);
                if (error.Code is { } code)
                {
                    w.WriteNumber("code"u8, code);
                }
                w.WriteString("message"u8, error.Message);
                if (error.Field is not null)
                {
                    w.WriteString("field"u8, error.Field);
                }
                break;
            case RoundMessage round:
                w.WriteString("type"u8, "round"u8);
                w.WriteNumber("round"u8, round.Round);
                WritePlayers(w, "players"u8, round.Players);
                break;
            case SnapshotMessage snapshot:
                w.WriteString("type"u8, "snapshot"u8);
                w.WriteNumber("tick"u8, snapshot.Tick);
                w.WriteNumber("round"u8, snapshot.Round);
                WritePlayers(w, "players"u8, snapshot.Players);
                break;
            case KnockOutMessage ko:
                w.WriteString("type"u8, "ko"u8);
                w.WriteString("loser"u8, ko.End.LoserIds.Count > 0 ? ko.End.LoserIds[0] : "");
                w.WriteString("winner"u8, ko.End.WinnerId);
                w.WriteNumber("round"u8, ko.End.Round);
                w.WriteString("reason"u8, WireNames.ReasonName(ko.End.Reason));
                if (ko.Match is { } match)
                {
                    WriteRatings(w, match);
                }
                break;
            case LeftMessage:
                w.WriteNumber("code"u8, 0);
                w.WriteString("message"u8, "success"u8);
                break;
            case WelcomeMessage welcome: WelcomeWriter.Write(w, welcome); break;
            default:
                throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "no JSON shape for this message");
        }
        w.WriteEndObject();
    }

    /// <summary>What the round did to each profile's rating: <c>"ratings":[{"id","profileId","change","rating"}]</c>.</summary>
    private static void WriteRatings(Utf8JsonWriter w, Results.MatchResult match)
    {
        w.WriteStartArray("ratings"u8);
        foreach (var player in match.Players)
        {
            if (player.Profile is not { } profile)
            {
                continue;
            }
            w.WriteStartObject();
            w.WriteString("id"u8, player.PlayerId);
            w.WriteString("profileId"u8, profile.Id);
            w.WriteNumber("change"u8, player.RatingChange);
            w.WriteNumber("rating"u8, profile.Rating + player.RatingChange);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteUpdate(Utf8JsonWriter w, UpdateMessage update)
    {
        w.WriteString("type"u8, "update"u8);
        w.WriteNumber("tick"u8, update.Tick);
        w.WriteStartArray("players"u8);
        // Index loops, not foreach, over the IReadOnlyLists here: a foreach through the interface boxes an
        // enumerator per list per message, and this runs for every update of every room.
        for (var i = 0; i < update.Players.Count; i++)
        {
            var motion = update.Players[i];
            w.WriteStartObject();
            w.WriteString("id"u8, motion.Id);
            w.WriteNumber("left"u8, motion.Left);
            w.WriteNumber("top"u8, motion.Top);
            w.WriteString("direction"u8, ServerMessages.DirectionName(motion.Direction));
            w.WriteString("status"u8, ServerMessages.StatusName(motion.Status));
            w.WriteNumber("energy"u8, motion.Energy);
            if (!motion.Connected || motion.Returned)
            {
                w.WriteBoolean("connected"u8, motion.Connected);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (update.Joined.Count > 0)
        {
            WritePlayers(w, "joined"u8, update.Joined);
        }
        if (update.Left.Count > 0)
        {
            w.WriteStartArray("left"u8);
            for (var i = 0; i < update.Left.Count; i++)
            {
                w.WriteStringValue(update.Left[i]);
            }
            w.WriteEndArray();
        }
        if (update.Attacks.Count > 0)
        {
            w.WriteStartArray("attacks"u8);
            for (var i = 0; i < update.Attacks.Count; i++)
            {
                var attack = update.Attacks[i];
                w.WriteStartObject();
                w.WriteString("id"u8, attack.Id);
                w.WriteString("direction"u8, ServerMessages.DirectionName(attack.Direction));
                w.WriteStartArray("hits"u8);
                for (var h = 0; h < attack.Hits.Count; h++)
                {
                    var hit = attack.Hits[h];
                    w.WriteStartObject();
                    w.WriteString("id"u8, hit.VictimId);
                    w.WriteNumber("energy"u8, hit.Energy);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
    }

    /// <summary>A player's whole state, as in welcome, joined, round and snapshot.</summary>
    public static void WritePlayer(Utf8JsonWriter w, PlayerSnapshot player)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, player.Id);
        w.WriteString("name"u8, player.Name);
        w.WriteString("sprite"u8, player.Sprite);
        w.WriteNumber("left"u8, player.Left);
        w.WriteNumber("top"u8, player.Top);
        w.WriteString("direction"u8, ServerMessages.DirectionName(player.Direction));
        w.WriteString("status"u8, ServerMessages.StatusName(player.Status));
        w.WriteNumber("energy"u8, player.Energy);
        w.WriteNumber("wins"u8, player.Wins);
        w.WriteBoolean("connected"u8, player.Connected);
        if (player.GraceLeftMs is { } graceLeft)
        {
            w.WriteNumber("graceLeftMs"u8, graceLeft);
        }
        w.WriteEndObject();
    }

    public static void WritePlayers(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<PlayerSnapshot> players)
    {
        w.WriteStartArray(name);
        for (var i = 0; i < players.Count; i++)
        {
            WritePlayer(w, players[i]);
        }
        w.WriteEndArray();
    }
}
