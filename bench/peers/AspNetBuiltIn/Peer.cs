using System.Net.WebSockets;

namespace AspNetBuiltIn;

internal static class Peer
{
    /// <summary>Largest message accepted (inclusive), as WsGame's default; beyond it the connection closes with 1009.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    /// <summary>Messages that may wait for one chat client, as WsGame's default; a client that fills it is aborted.</summary>
    public const int SendQueueLimit = 512;

    /// <summary>The ways a socket operation ends when the client vanished or the server is stopping.</summary>
    public static bool IsDisconnect(Exception exception) =>
        exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException;
}
