namespace WsGame.Api.WebSockets.Handshake;

/// <summary>
/// The parts of an HTTP request that decide a WebSocket handshake, as plain values (no ASP.NET
/// types), so the decision can be tested without a server. Each header is the list of its lines.
/// </summary>
public sealed record HandshakeRequest(
    string Method,
    string Protocol,
    string Host,
    IReadOnlyList<string> Upgrade,
    IReadOnlyList<string> Connection,
    IReadOnlyList<string> Key,
    IReadOnlyList<string> Version,
    IReadOnlyList<string> SubProtocols,
    IReadOnlyList<string> Origin);
