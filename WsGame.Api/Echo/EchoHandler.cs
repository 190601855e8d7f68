using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Echo;

/// <summary>
/// <c>/ws/echo</c>: every message comes back exactly, with its type. The simplest test of the
/// transport, and the endpoint raw clients and conformance tools point at.
/// </summary>
public sealed class EchoHandler : IWebSocketHandler
{
    public const string Path = "/ws/echo";

    public ValueTask OnMessageAsync(WebSocketConnection connection, MessageType type, ReadOnlyMemory<byte> payload)
    {
        connection.TrySend(type, payload.Span);
        return ValueTask.CompletedTask;
    }
}
