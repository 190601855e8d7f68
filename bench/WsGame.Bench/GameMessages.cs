using System.Buffers.Text;
using System.Text.Json;

namespace WsGame.Bench;

/// <summary>What a bot learns from its <c>welcome</c> (docs/protocol.md); <paramref name="View"/> is the server's view distance (0: the whole room).</summary>
public sealed record Welcome(long Id, string Room, int ArenaWidth, int ArenaHeight, int Sprite, int View, int Left, int Top, string Direction);

/// <summary>
/// Reads the parts of WsGame's server messages the game scenario measures. Updates are read with
/// <see cref="Utf8JsonReader"/> and no allocation per player, since an arena's update lists hundreds.
/// </summary>
public static class GameMessages
{
    /// <summary>
    /// The <c>type</c> of a server message; WsGame writes it first (after the <c>seq</c> of a numbered message),
    /// so this only looks at the start.
    /// </summary>
    public static ReadOnlySpan<byte> TypeOf(ReadOnlySpan<byte> json)
    {
        if (json.StartsWith("{\"seq\":"u8))
        {
            var comma = json.IndexOf((byte)',');
            if (comma < 0)
            {
                return default;
            }
            json = json[comma..]; // the comma stands where the brace was: the prefix below then matches from it
        }
        else if (!json.StartsWith("{"u8))
        {
            return default;
        }
        json = json[1..];
        var prefix = "\"type\":\""u8;
        if (!json.StartsWith(prefix))
        {
            return default;
        }
        var rest = json[prefix.Length..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? default : rest[..end];
    }

    /// <summary>The <c>seq</c> of a numbered message (written first, <c>{"seq":N,</c>); -1 for an unnumbered one.</summary>
    public static long SeqOf(ReadOnlySpan<byte> json)
    {
        var prefix = "{\"seq\":"u8;
        return json.StartsWith(prefix) && Utf8Parser.TryParse(json[prefix.Length..], out long seq, out _) ? seq : -1;
    }

    /// <summary>What a welcome says about the seat (or spectator's place): id, room, the next resume token, and whether it resumed one.</summary>
    public static (string Id, string Room, string? Token, bool Resumed, bool Spectator, string Phase) ReadSeat(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return (
            root.GetProperty("id").GetString() ?? "",
            root.GetProperty("room").GetString() ?? "",
            root.TryGetProperty("resume", out var token) ? token.GetString() : null,
            root.TryGetProperty("resumed", out var resumed) && resumed.ValueKind == JsonValueKind.True,
            root.TryGetProperty("spectator", out var spectator) && spectator.ValueKind == JsonValueKind.True,
            root.TryGetProperty("phase", out var phase) ? phase.GetString() ?? "" : "");
    }

    public static Welcome ReadWelcome(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var arena = root.GetProperty("arena");
        var you = root.GetProperty("you");
        return new Welcome(
            ParseId(root.GetProperty("id").GetString()),
            root.GetProperty("room").GetString() ?? "",
            arena.GetProperty("width").GetInt32(),
            arena.GetProperty("height").GetInt32(),
            arena.GetProperty("sprite").GetInt32(),
            arena.TryGetProperty("view", out var view) ? view.GetInt32() : 0,
            you.GetProperty("left").GetInt32(),
            you.GetProperty("top").GetInt32(),
            you.GetProperty("direction").GetString() ?? "RIGHT");
    }

    /// <summary>The <c>message</c> of an <c>error</c>, for reporting.</summary>
    public static string ErrorText(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "";
    }

    /// <summary>Calls <paramref name="position"/> with (player id, left, top) for every entry of the top-level <c>players</c> array.</summary>
    public static void ForEachPlayerPosition<TState>(ReadOnlySpan<byte> json, TState state, Action<TState, long, int, int> position)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPlayers = reader.ValueTextEquals("players"u8);
            reader.Read();
            if (!isPlayers || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                long id = -1;
                int left = int.MinValue, top = int.MinValue;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("id"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String && Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var used) && used == reader.ValueSpan.Length)
                        {
                            id = parsed;
                        }
                    }
                    else if (reader.ValueTextEquals("left"u8))
                    {
                        reader.Read();
                        left = reader.GetInt32();
                    }
                    else if (reader.ValueTextEquals("top"u8))
                    {
                        reader.Read();
                        top = reader.GetInt32();
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
                if (id >= 0 && left != int.MinValue && top != int.MinValue)
                {
                    position(state, id, left, top);
                }
            }
            return; // only one players array
        }
    }

    private static long ParseId(string? id) =>
        long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"player id '{id}' is not a number: the game scenario needs WsGame's numeric ids");
}
