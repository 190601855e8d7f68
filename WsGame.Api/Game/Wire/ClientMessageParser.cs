using System.Text.Json;

namespace WsGame.Api.Game.Wire;

/// <summary>Why a client message could not be used; each maps to one error answer.</summary>
public enum ParseFailure : byte
{
    None,
    /// <summary>Not a JSON object.</summary>
    InvalidJson,
    /// <summary>No <c>type</c>, or one the server does not know.</summary>
    UnknownType,
    /// <summary>A known field with the wrong JSON type or value; the field is named.</summary>
    InvalidField,
}

/// <summary>
/// Reads a client message with <see cref="Utf8JsonReader"/> in one pass, fields in any order.
/// Strings are only materialized for the fields that are text by nature (name, sprite, room,
/// chat message); enums and numbers are read in place.
/// </summary>
public static class ClientMessageParser
{
    private const int MaxDepth = 4;

    public static ParseFailure TryParse(ReadOnlySpan<byte> json, out ClientMessage message, out string? invalidField)
    {
        message = default;
        invalidField = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var failure = ParseFailure.None;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return ParseFailure.InvalidJson;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Field.Of(ref reader);
                if (!reader.Read())
                {
                    return ParseFailure.InvalidJson;
                }
                if (failure == ParseFailure.None && !ReadField(ref reader, field, ref message))
                {
                    failure = ParseFailure.InvalidField;
                    invalidField = Field.Name(field);
                }
                reader.Skip();
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return ParseFailure.InvalidJson;
            }
        }
        catch (JsonException)
        {
            return ParseFailure.InvalidJson;
        }
        if (message.Type == ClientMessageType.Unknown)
        {
            return ParseFailure.UnknownType;
        }
        return failure;
    }

    /// <summary>Longer than any token the server hands out (docs/protocol.md), escapes included.</summary>
    private const int MaxProfileTokenBytes = 256;

    private static bool ReadField(ref Utf8JsonReader reader, Field.Id field, ref ClientMessage message)
    {
        switch (field)
        {
            case Field.Id.Type:
                message.Type = reader.TokenType == JsonTokenType.String ? TypeOf(ref reader) : ClientMessageType.Unknown;
                return true; // an unknown type is reported as such, not as a bad field
            case Field.Id.Name:
                return ReadString(ref reader, out message.Name);
            case Field.Id.Sprite:
                return ReadString(ref reader, out message.Sprite);
            case Field.Id.Room:
                return ReadString(ref reader, out message.Room);
            case Field.Id.Message:
                return ReadString(ref reader, out message.Text);
            case Field.Id.Token:
                return ReadString(ref reader, out message.Token);
            case Field.Id.Profile:
                // A bad profile token is no error: the player gets a fresh profile (docs/protocol.md). One far
                // longer than any token is not even read into a string.
                message.Profile = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= MaxProfileTokenBytes ? reader.GetString() : null;
                return true;
            case Field.Id.Seq:
                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out message.Seq) && message.Seq >= 0;
            case Field.Id.Left:
                return ReadCoordinate(ref reader, out message.Left);
            case Field.Id.Top:
                return ReadCoordinate(ref reader, out message.Top);
            case Field.Id.Direction:
                return reader.TokenType == JsonTokenType.String && WireNames.TryReadDirection(ref reader, out message.Direction);
            case Field.Id.Status:
                return reader.TokenType == JsonTokenType.String && WireNames.TryReadStatus(ref reader, out message.Status);
            default:
                return true; // unknown fields are ignored, as JSON APIs usually do
        }
    }

    private static ClientMessageType TypeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("move"u8) ? ClientMessageType.Move
        : reader.ValueTextEquals("attack"u8) ? ClientMessageType.Attack
        : reader.ValueTextEquals("chat"u8) ? ClientMessageType.Chat
        : reader.ValueTextEquals("join"u8) ? ClientMessageType.Join
        : reader.ValueTextEquals("rematch"u8) ? ClientMessageType.Rematch
        : reader.ValueTextEquals("leave"u8) ? ClientMessageType.Leave
        : reader.ValueTextEquals("resume"u8) ? ClientMessageType.Resume
        : reader.ValueTextEquals("spectate"u8) ? ClientMessageType.Spectate
        : ClientMessageType.Unknown;

    private static bool ReadString(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            _ => null,
        };
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    /// <summary>Whole or fractional pixels; rounded, and bounded so arithmetic on them cannot overflow.</summary>
    private static bool ReadCoordinate(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var number) || !double.IsFinite(number) || Math.Abs(number) > 1_000_000)
        {
            return false;
        }
        value = (int)Math.Round(number);
        return true;
    }

    /// <summary>The field names the protocol knows, matched without allocating.</summary>
    private static class Field
    {
        public enum Id : byte { Other, Type, Name, Sprite, Room, Message, Left, Top, Direction, Status, Token, Seq, Profile }

        public static Id Of(ref Utf8JsonReader reader) =>
            reader.ValueTextEquals("type"u8) ? Id.Type
            : reader.ValueTextEquals("left"u8) ? Id.Left
            : reader.ValueTextEquals("top"u8) ? Id.Top
            : reader.ValueTextEquals("direction"u8) ? Id.Direction
            : reader.ValueTextEquals("status"u8) ? Id.Status
            : reader.ValueTextEquals("name"u8) ? Id.Name
            : reader.ValueTextEquals("sprite"u8) ? Id.Sprite
            : reader.ValueTextEquals("room"u8) ? Id.Room
            : reader.ValueTextEquals("message"u8) ? Id.Message
            : reader.ValueTextEquals("token"u8) ? Id.Token
            : reader.ValueTextEquals("seq"u8) ? Id.Seq
            : reader.ValueTextEquals("profile"u8) ? Id.Profile
            : Id.Other;

        public static string Name(Id id) => id.ToString().ToLowerInvariant();
    }
}
