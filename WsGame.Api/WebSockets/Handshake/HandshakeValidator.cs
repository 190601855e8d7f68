namespace WsGame.Api.WebSockets.Handshake;

/// <summary>
/// Decides a WebSocket opening handshake (RFC 6455 section 4.2.1) from the request alone. Each
/// requirement is checked in the order the RFC lists them and a refusal names the one that failed.
/// </summary>
public sealed class HandshakeValidator(OriginPolicy originPolicy, IReadOnlyList<string> serverSubProtocols)
{
    public const string SupportedVersion = "13";

    public HandshakeDecision Decide(HandshakeRequest request)
    {
        var upgradeRequested = request.Upgrade.Count > 0 || HeaderTokens.Contains(request.Connection, "upgrade");
        if (!upgradeRequested)
        {
            // A plain HTTP request to a WebSocket path: say what the path is for instead of serving nothing.
            return HandshakeDecision.UpgradeRequired(
                "This is a WebSocket endpoint: connect with a WebSocket client (Upgrade: websocket, RFC 6455).");
        }
        // 4.2.1 (1): "An HTTP/1.1 or higher GET request".
        if (!string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            return HandshakeDecision.BadRequest($"WebSocket handshake must use GET, not {request.Method}.");
        }
        if (request.Protocol != "HTTP/1.1")
        {
            return HandshakeDecision.BadRequest($"WebSocket handshake needs HTTP/1.1, not {request.Protocol}.");
        }
        // 4.2.1 (3): "An |Upgrade| header field containing the value "websocket"" (case-insensitive).
        if (!HeaderTokens.Contains(request.Upgrade, "websocket"))
        {
            return HandshakeDecision.BadRequest("Upgrade header must contain 'websocket'.");
        }
        // 4.2.1 (4): "A |Connection| header field that includes the token "Upgrade"".
        if (!HeaderTokens.Contains(request.Connection, "upgrade"))
        {
            return HandshakeDecision.BadRequest("Connection header must contain 'Upgrade'.");
        }
        // 4.2.1 (5): "A |Sec-WebSocket-Key| header field with a base64-encoded value that, when decoded, is 16 bytes".
        if (request.Key.Count != 1 || !AcceptKey.IsValidKey(request.Key[0].Trim()))
        {
            return HandshakeDecision.BadRequest(request.Key.Count == 0
                ? "Missing Sec-WebSocket-Key header."
                : "Sec-WebSocket-Key must be one base64-encoded 16-byte value.");
        }
        // 4.2.1 (6) and 4.2.2: another version gets 426 with the version we speak.
        if (request.Version.Count != 1 || request.Version[0].Trim() != SupportedVersion)
        {
            return HandshakeDecision.UpgradeRequired(request.Version.Count == 0
                ? "Missing Sec-WebSocket-Version header: this server speaks version 13."
                : "Unsupported Sec-WebSocket-Version: this server speaks version 13.");
        }
        // 10.2: refuse browsers on pages of other sites.
        var origin = request.Origin.Count > 0 ? request.Origin[0] : null;
        if (request.Origin.Count > 1 || !originPolicy.IsAllowed(origin, request.Host))
        {
            return HandshakeDecision.Forbidden($"Origin '{origin}' is not allowed to connect.");
        }
        return HandshakeDecision.Accept(AcceptKey.Compute(request.Key[0]), SelectSubProtocol(request.SubProtocols));
    }

    /// <summary>4.2.2: the server's first preference that the client offered; never one the client did not.</summary>
    private string? SelectSubProtocol(IReadOnlyList<string> offered)
    {
        if (offered.Count == 0 || serverSubProtocols.Count == 0)
        {
            return null;
        }
        var offers = HeaderTokens.All(offered).ToHashSet(StringComparer.Ordinal);
        return serverSubProtocols.FirstOrDefault(offers.Contains);
    }
}
