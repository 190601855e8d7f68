using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// What an endpoint does with its connections. Calls for one connection never overlap: they come
/// from that connection's read loop, in order. A handler may send from anywhere, at any time.
/// </summary>
public interface IWebSocketHandler
{
    /// <summary>The handshake is done and the connection is open.</summary>
    ValueTask OnOpenAsync(WebSocketConnection connection) => ValueTask.CompletedTask;

    /// <summary>
    /// A whole message arrived. <paramref name="payload"/> is only valid until the returned task
    /// completes: copy what must be kept. Text payloads are valid UTF-8.
    /// </summary>
    ValueTask OnMessageAsync(WebSocketConnection connection, MessageType type, ReadOnlyMemory<byte> payload);

    /// <summary>The connection is closed (handshake done, failed or dropped); nothing more can be sent.</summary>
    ValueTask OnClosedAsync(WebSocketConnection connection, CloseSummary summary) => ValueTask.CompletedTask;
}
