using System.Net.WebSockets;

namespace AspNetBuiltIn;

/// <summary>/ws/echo: every whole message goes back with its own type (text or binary).</summary>
internal static class Echo
{
    public static async Task RunAsync(WebSocket socket, int limit, CancellationToken stopping)
    {
        using var buffer = new MessageBuffer();
        try
        {
            while (true)
            {
                var message = await buffer.ReceiveAsync(socket, limit, stopping);
                if (message.Type == WebSocketMessageType.Close)
                {
                    // Answer the client's close with its own status code.
                    await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
                if (message.TooBig)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, CancellationToken.None);
                    return;
                }
                await socket.SendAsync(buffer.Memory(message.Length), message.Type, true, CancellationToken.None);
                buffer.Release();
            }
        }
        catch (Exception exception) when (Peer.IsDisconnect(exception))
        {
            // The client went away, or the server is stopping (the token aborted the socket).
        }
    }
}
