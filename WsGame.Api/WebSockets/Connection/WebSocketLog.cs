using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// The transport's log events. Opening and closing a connection is Information; anything per
/// message is Debug at most, so a busy server's log stays readable. Source-generated: no string
/// is built unless the level is on.
/// </summary>
internal static partial class WebSocketLog
{
    [LoggerMessage(1, LogLevel.Information, "WebSocket {ConnectionId} opened from {RemoteAddress} on {Path} (origin {Origin}, subprotocol {SubProtocol})")]
    public static partial void Opened(ILogger logger, long connectionId, string remoteAddress, string path, string? origin, string? subProtocol);

    [LoggerMessage(2, LogLevel.Information, "WebSocket {ConnectionId} closed with {CloseCode} ({Reason}) by {Initiator} after {DurationSeconds:0.0} s, {MessagesIn} messages in, {MessagesOut} out")]
    public static partial void Closed(ILogger logger, long connectionId, int closeCode, string reason, CloseInitiator initiator, double durationSeconds, long messagesIn, long messagesOut);

    [LoggerMessage(3, LogLevel.Information, "WebSocket handshake refused with {StatusCode} from {RemoteAddress} on {Path}: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, int statusCode, string remoteAddress, string path, string reason);

    [LoggerMessage(4, LogLevel.Warning, "WebSocket {ConnectionId} failed: the client broke the rule {Rule}; closing with {CloseCode}")]
    public static partial void ProtocolViolation(ILogger logger, long connectionId, ProtocolViolation rule, int closeCode);

    [LoggerMessage(5, LogLevel.Warning, "WebSocket {ConnectionId}: send queue full ({Limit} messages): the client does not read; closing with 1008")]
    public static partial void SendQueueFull(ILogger logger, long connectionId, int limit);

    [LoggerMessage(11, LogLevel.Warning, "WebSocket {ConnectionId}: a write waited longer than {Timeout} for the client's socket (the client does not read); closing with 1008")]
    public static partial void SendTimeout(ILogger logger, long connectionId, TimeSpan timeout);

    [LoggerMessage(6, LogLevel.Information, "WebSocket {ConnectionId}: no answer to a keep-alive ping within {Timeout}; closing")]
    public static partial void KeepAliveTimeout(ILogger logger, long connectionId, TimeSpan timeout);

    [LoggerMessage(7, LogLevel.Information, "WebSocket {ConnectionId}: the client did not answer our close frame within {Timeout}; dropping the connection")]
    public static partial void CloseTimeout(ILogger logger, long connectionId, TimeSpan timeout);

    [LoggerMessage(8, LogLevel.Debug, "WebSocket {ConnectionId}: server closes with {CloseCode} ({Reason})")]
    public static partial void ServerClosing(ILogger logger, long connectionId, int closeCode, string reason);

    [LoggerMessage(9, LogLevel.Error, "WebSocket {ConnectionId}: the endpoint's handler failed; closing with 1011")]
    public static partial void HandlerFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(10, LogLevel.Debug, "WebSocket {ConnectionId}: write failed: {Reason}")]
    public static partial void WriteFailed(ILogger logger, long connectionId, string reason);
}
