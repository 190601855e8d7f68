namespace WsGame.Api.WebSockets.Handshake;

/// <summary>The answer to a handshake request: switch protocols, or an HTTP error with a short reason.</summary>
public sealed record HandshakeDecision
{
    private HandshakeDecision(int statusCode, string? reason, string? acceptKey, string? subProtocol)
    {
        StatusCode = statusCode;
        Reason = reason;
        AcceptKey = acceptKey;
        SubProtocol = subProtocol;
    }

    /// <summary>101 when accepted; otherwise 400, 403 or 426.</summary>
    public int StatusCode { get; }

    /// <summary>For a refusal: what is wrong, sent as the text body.</summary>
    public string? Reason { get; }

    /// <summary>For an acceptance: the Sec-WebSocket-Accept value.</summary>
    public string? AcceptKey { get; }

    /// <summary>The selected subprotocol, when the client offered one the server speaks.</summary>
    public string? SubProtocol { get; }

    public bool IsAccepted => StatusCode == 101;

    /// <summary>426 answers carry Sec-WebSocket-Version: 13 and Upgrade: websocket (RFC 6455 section 4.2.2).</summary>
    public bool AdvertisesVersion => StatusCode == 426;

    public static HandshakeDecision Accept(string acceptKey, string? subProtocol) => new(101, null, acceptKey, subProtocol);

    public static HandshakeDecision BadRequest(string reason) => new(400, reason, null, null);

    public static HandshakeDecision Forbidden(string reason) => new(403, reason, null, null);

    public static HandshakeDecision UpgradeRequired(string reason) => new(426, reason, null, null);
}
