namespace WsGame.Api.WebSockets.Connection;

/// <summary>What the handshake told us about a connection.</summary>
public sealed record ConnectionInfo(string RemoteAddress, string Path, string? Origin, string? SubProtocol);
