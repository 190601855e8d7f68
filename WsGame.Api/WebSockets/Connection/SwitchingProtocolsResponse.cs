using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// The 101 answer to a handshake taken over by <see cref="UpgradeFastPath"/>, byte for byte what Kestrel writes for
/// <see cref="WebSocketEndpointMiddleware"/>: its known headers in Kestrel's order (Connection, Date, Server,
/// Upgrade, then the WebSocket ones), so a client cannot tell which way its handshake went.
/// </summary>
internal static class SwitchingProtocolsResponse
{
    /// <summary>Writes the answer (RFC 6455 section 4.2.2) into <paramref name="output"/>; the caller flushes.</summary>
    public static void Write(PipeWriter output, DateTimeOffset now, bool serverHeader, string acceptKey, string? subProtocol)
    {
        // RFC 9110's IMF-fixdate, as Kestrel's Date header: "Sun, 06 Nov 1994 08:49:37 GMT".
        var text = new StringBuilder(256)
            .Append("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nDate: ")
            .Append(now.UtcDateTime.ToString("r", System.Globalization.CultureInfo.InvariantCulture))
            .Append("\r\n")
            .Append(serverHeader ? "Server: Kestrel\r\n" : "")
            .Append("Upgrade: websocket\r\nSec-WebSocket-Accept: ")
            .Append(acceptKey)
            .Append("\r\n");
        if (subProtocol is not null)
        {
            text.Append("Sec-WebSocket-Protocol: ").Append(subProtocol).Append("\r\n");
        }
        text.Append("\r\n");
        // Once per connection, not per message: a builder and a string are fine here.
        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        output.Write(bytes);
    }
}
