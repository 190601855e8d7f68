using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace AspNetBuiltIn;

internal enum ChatRequestKind
{
    /// <summary>Not JSON at all (or not UTF-8).</summary>
    InvalidJson,
    /// <summary>JSON, but neither a join nor a chat object.</summary>
    Other,
    Join,
    Chat,
}

/// <summary>
/// One parsed client message. <see cref="MessageStart"/>/<see cref="MessageLength"/> locate the raw JSON
/// value of "message" inside the received bytes (length 0 when absent), so a chat line is copied into
/// the broadcast without being decoded and encoded again.
/// </summary>
internal readonly record struct ChatRequest(ChatRequestKind Kind, string? Name = null, int MessageStart = 0, int MessageLength = 0);

/// <summary>
/// The seed chat room's wire format: {"type":"join","name":..} and {"type":"chat","message":..} in;
/// status, chat and error objects out. Replies are written compactly, with the same bytes the Node and
/// Python peers send, so every peer moves the same traffic.
/// </summary>
internal static class ChatProtocol
{
    // Declared first: static fields initialize in order, and the error replies below use it.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Like JSON.stringify and json.dumps(ensure_ascii=False): only what JSON requires is escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly byte[] InvalidJson = Serialize(static w =>
    {
        w.WriteString("type"u8, "error"u8);
        w.WriteString("message"u8, "Invalid JSON format."u8);
    });

    public static readonly byte[] InvalidFormat = Serialize(static w =>
    {
        w.WriteString("type"u8, "error"u8);
        w.WriteString("message"u8, "Invalid message format or not joined."u8);
    });

    // One writer per thread: a broadcast is serialized synchronously, then the bytes are copied out once.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_output;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static ChatRequest Parse(ReadOnlySpan<byte> json)
    {
        // Binary frames are parsed too (the seed's json.loads accepts bytes), so check UTF-8 here.
        if (!Utf8.IsValid(json))
        {
            return new ChatRequest(ChatRequestKind.InvalidJson);
        }
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read())
            {
                return new ChatRequest(ChatRequestKind.InvalidJson);
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return EndOfDocument(ref reader, new ChatRequest(ChatRequestKind.Other));
            }

            // The last occurrence of a repeated key wins, as with Python's json.loads.
            var kind = ChatRequestKind.Other;
            string? name = null;
            int messageStart = 0, messageLength = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.ValueTextEquals("type"u8) ? 1
                    : reader.ValueTextEquals("name"u8) ? 2
                    : reader.ValueTextEquals("message"u8) ? 3
                    : 0;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                switch (property)
                {
                    case 1:
                        kind = reader.TokenType != JsonTokenType.String ? ChatRequestKind.Other
                            : reader.ValueTextEquals("join"u8) ? ChatRequestKind.Join
                            : reader.ValueTextEquals("chat"u8) ? ChatRequestKind.Chat
                            : ChatRequestKind.Other;
                        break;
                    case 2:
                        // A missing, null or non-string name is "Anonymous".
                        name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        break;
                }
                reader.Skip();
                if (property == 3)
                {
                    messageStart = start;
                    messageLength = (int)reader.BytesConsumed - start;
                }
            }
            var request = kind switch
            {
                ChatRequestKind.Join => new ChatRequest(kind, name ?? "Anonymous"),
                ChatRequestKind.Chat => new ChatRequest(kind, null, messageStart, messageLength),
                _ => new ChatRequest(ChatRequestKind.Other),
            };
            return EndOfDocument(ref reader, request);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return new ChatRequest(ChatRequestKind.InvalidJson);
        }
    }

    /// <summary>The document must end after its one value (only whitespace may follow).</summary>
    private static ChatRequest EndOfDocument(ref Utf8JsonReader reader, ChatRequest request) =>
        reader.Read() ? new ChatRequest(ChatRequestKind.InvalidJson) : request;

    public static byte[] Status(string text)
    {
        var (output, writer) = Writer();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "status"u8);
        writer.WriteString("message"u8, text);
        writer.WriteEndObject();
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>{"type":"chat","sender":..,"message":..}; the message is the client's JSON value, or "" when it sent none.</summary>
    public static byte[] Chat(string sender, ReadOnlySpan<byte> rawMessage)
    {
        var (output, writer) = Writer();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "chat"u8);
        writer.WriteString("sender"u8, sender);
        writer.WritePropertyName("message"u8);
        if (rawMessage.IsEmpty)
        {
            writer.WriteStringValue(""u8);
        }
        else if (rawMessage[0] == (byte)'"' && rawMessage.IndexOf((byte)'\\') >= 0)
        {
            // An escaped string is decoded and written again, so "\u2713" goes out as the
            // character, as the Node and Python peers send it (they parse and re-serialize).
            var reader = new Utf8JsonReader(rawMessage);
            reader.Read();
            writer.WriteStringValue(reader.GetString());
        }
        else
        {
            // Anything else is copied through as it came: already valid JSON.
            writer.WriteRawValue(rawMessage, skipInputValidation: true);
        }
        writer.WriteEndObject();
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Serialize(Action<Utf8JsonWriter> properties)
    {
        var (output, writer) = Writer();
        writer.WriteStartObject();
        properties(writer);
        writer.WriteEndObject();
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static (ArrayBufferWriter<byte> Output, Utf8JsonWriter Writer) Writer()
    {
        var output = t_output ??= new ArrayBufferWriter<byte>(256);
        output.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(output, WriterOptions);
        writer.Reset(output);
        return (output, writer);
    }
}
