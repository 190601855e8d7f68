using System.Text.Json;
using WsGame.Api.Game.Rooms;

namespace WsGame.Api.Game.Wire;

/// <summary>
/// The welcome's JSON: who you are, the room, and every rule value a client needs to predict and draw the
/// game, so that no page copies a number by hand (docs/protocol.md, "welcome").
/// </summary>
internal static class WelcomeWriter
{
    public static void Write(Utf8JsonWriter w, WelcomeMessage welcome)
    {
        var rules = welcome.Rules;
        w.WriteString("type"u8, "welcome"u8);
        w.WriteString("id"u8, welcome.Id);
        w.WriteString("room"u8, welcome.Room);
        w.WriteStartObject("arena"u8);
        w.WriteNumber("width"u8, rules.ArenaWidth);
        w.WriteNumber("height"u8, rules.ArenaHeight);
        w.WriteNumber("sprite"u8, rules.SpriteSize);
        w.WriteNumber("view"u8, rules.ViewDistance);
        w.WriteEndObject();
        w.WriteNumber("tickRate"u8, rules.TickRate);
        WriteRules(w, rules);
        if (welcome.You is { } you)
        {
            w.WritePropertyName("you"u8);
            RoomMessageWriter.WritePlayer(w, you);
        }
        RoomMessageWriter.WritePlayers(w, "players"u8, welcome.Players);
        w.WriteNumber("round"u8, welcome.Round);
        w.WriteString("phase"u8, welcome.Phase switch
        {
            Game.RoundPhase.Live => "live"u8,
            Game.RoundPhase.Over => "over"u8,
            _ => "waiting"u8,
        });
        if (welcome.ResumeToken is not null)
        {
            w.WriteString("resume"u8, welcome.ResumeToken);
        }
        if (welcome.Profile is { } profile)
        {
            // The token goes only to its owner: a welcome is an answer to one connection, never broadcast.
            w.WriteStartObject("profile"u8);
            w.WriteString("id"u8, profile.Id);
            w.WriteString("token"u8, profile.Token);
            w.WriteNumber("rating"u8, profile.Rating);
            w.WriteNumber("wins"u8, profile.Wins);
            w.WriteNumber("losses"u8, profile.Losses);
            w.WriteEndObject();
        }
        if (welcome.Resumed)
        {
            w.WriteBoolean("resumed"u8, true);
        }
        if (welcome.Spectator)
        {
            w.WriteBoolean("spectator"u8, true);
        }
    }

    private static void WriteRules(Utf8JsonWriter w, GameOptions rules)
    {
        w.WriteStartObject("rules"u8);
        w.WriteNumber("speed"u8, rules.MaxSpeed);
        w.WriteNumber("moveToleranceMs"u8, rules.MoveTolerance.TotalMilliseconds);
        w.WriteStartObject("body"u8);
        w.WriteNumber("width"u8, rules.BodyWidth);
        w.WriteNumber("height"u8, rules.BodyHeight);
        // Where the body sits in the sprite box: centred across, on the bottom edge (Arena.BodyAt).
        w.WriteNumber("offsetLeft"u8, (rules.SpriteSize - rules.BodyWidth) / 2.0);
        w.WriteNumber("offsetTop"u8, rules.SpriteSize - rules.BodyHeight);
        w.WriteEndObject();
        w.WriteStartObject("attack"u8);
        w.WriteNumber("cooldownMs"u8, rules.AttackCooldown.TotalMilliseconds);
        w.WriteNumber("range"u8, rules.AttackRange);
        w.WriteNumber("width"u8, rules.AttackWidth);
        w.WriteNumber("damage"u8, rules.Damage);
        w.WriteEndObject();
        w.WriteNumber("energy"u8, rules.MaxEnergy);
        w.WriteNumber("tickRate"u8, rules.TickRate);
        w.WriteNumber("reconnectGraceMs"u8, rules.ReconnectGrace.TotalMilliseconds);
        w.WriteNumber("maxChatLength"u8, rules.MaxChatLength);
        w.WriteNumber("maxNameLength"u8, rules.MaxNameLength);
        w.WriteStartArray("sprites"u8);
        foreach (var sprite in rules.SpriteNames)
        {
            w.WriteStringValue(sprite);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
