using System.Buffers.Text;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// How one shared JSON message reaches many recipients, each with its own sequence number, without a copy of
/// the message per recipient: the message is sent in two fragments (RFC 6455 section 5.4). The first, written
/// per recipient, is a text frame without FIN holding <c>{"seq":N,</c>; the second is the shared body, framed
/// once as a continuation frame with FIN that holds the rest of the JSON object (its members after the opening
/// brace). Clients reassemble fragments before they see a message, so each reads one object whose first member
/// is its own <c>seq</c>.
/// </summary>
public static class SequencedFrames
{
    /// <summary>The longest first fragment: a 2-byte header, <c>{"seq":</c>, 19 digits and a comma.</summary>
    public const int MaxPrefixFrameLength = 2 + 7 + 19 + 1;

    /// <summary>
    /// Frames the body of a JSON object for <see cref="WebSocketConnection.TrySend(OutboundMessage, long)"/>:
    /// <paramref name="json"/> must start with <c>{</c> and hold at least one member.
    /// </summary>
    public static OutboundMessage CreateBody(ReadOnlySpan<byte> json)
    {
        if (json.Length < 2 || json[0] != (byte)'{')
        {
            throw new ArgumentException("A sequenced message is a JSON object.", nameof(json));
        }
        return OutboundMessage.Create(Opcode.Continuation, json[1..]);
    }

    /// <summary>Writes the first fragment for <paramref name="sequence"/>; returns its length.</summary>
    public static int WritePrefixFrame(Span<byte> destination, long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        var payload = destination[2..];
        "{\"seq\":"u8.CopyTo(payload);
        Utf8Formatter.TryFormat(sequence, payload[7..], out var digits);
        payload[7 + digits] = (byte)',';
        var length = 7 + digits + 1;
        FrameWriter.WriteHeader(destination, Opcode.Text, length, fin: false);
        return 2 + length;
    }
}
