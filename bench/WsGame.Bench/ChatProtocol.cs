using System.Text.Json;

namespace WsGame.Bench;

/// <summary>What a chat-room message is, as far as the fan-out scenario cares.</summary>
public enum ChatEventKind
{
    /// <summary>Anything else (WsGame's game updates, welcome, ...): skipped.</summary>
    Other,
    Status,
    Chat,
    Error,
}

/// <summary>
/// The two chat dialects the fan-out scenario speaks. Both are the seed chat room's JSON
/// (<c>join</c> → <c>status</c> "NAME joined the chat." to everyone, the joiner included; <c>chat</c> →
/// <c>{"type":"chat","sender":...,"message":...}</c> to everyone). WsGame adds rooms (the join names one)
/// and other message types at the tick rate, which a client must skip.
/// </summary>
public sealed class ChatProtocol
{
    /// <summary>WsGame's answer when a named room already holds RoomCapacity players.</summary>
    public const string RoomFullMessage = "Many peoples";

    private ChatProtocol(string name, bool hasRooms, string defaultPath)
    {
        Name = name;
        HasRooms = hasRooms;
        DefaultPath = defaultPath;
    }

    /// <summary>WsGame's game protocol at /ws (docs/protocol.md).</summary>
    public static ChatProtocol WsGame { get; } = new("wsgame", hasRooms: true, "/ws");

    /// <summary>The seed chat room: one room for every connection, served by the peers at /ws/chat.</summary>
    public static ChatProtocol SeedChat { get; } = new("seed-chat", hasRooms: false, "/ws/chat");

    public string Name { get; }

    public bool HasRooms { get; }

    public string DefaultPath { get; }

    public static ChatProtocol Parse(string name) => name switch
    {
        "wsgame" => WsGame,
        "seed-chat" => SeedChat,
        _ => throw new ArgumentException($"unknown protocol '{name}' (wsgame or seed-chat)"),
    };

    public byte[] JoinFrame(string playerName, string room) =>
        BenchClient.TextFrame(HasRooms
            ? JsonSerializer.Serialize(new { type = "join", name = playerName, room })
            : JsonSerializer.Serialize(new { type = "join", name = playerName }));

    public static byte[] ChatFrame(string text) => BenchClient.TextFrame(JsonSerializer.Serialize(new { type = "chat", message = text }));

    /// <summary>The status text every member gets when <paramref name="playerName"/> has joined: the join's acknowledgement.</summary>
    public static string JoinedText(string playerName) => $"{playerName} joined the chat.";

    /// <summary>Reads a message's type and its <c>message</c> field (null when absent).</summary>
    public static ChatEventKind Classify(ReadOnlySpan<byte> json, out string? message)
    {
        message = null;
        // The bulk of what WsGame sends a chat client is the tick's update: skip it without parsing.
        if (json.StartsWith("{\"type\":\"update\""u8))
        {
            return ChatEventKind.Other;
        }
        var kind = ChatEventKind.Other;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return kind;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                kind = reader.TokenType != JsonTokenType.String ? ChatEventKind.Other
                    : reader.ValueTextEquals("chat"u8) ? ChatEventKind.Chat
                    : reader.ValueTextEquals("status"u8) ? ChatEventKind.Status
                    : reader.ValueTextEquals("error"u8) ? ChatEventKind.Error
                    : ChatEventKind.Other;
                if (kind == ChatEventKind.Other)
                {
                    return kind; // welcome, update, round, ...: nothing the chat client needs
                }
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return kind;
    }

    public override string ToString() => Name;
}
