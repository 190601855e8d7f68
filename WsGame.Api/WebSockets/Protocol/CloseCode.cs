namespace WsGame.Api.WebSockets.Protocol;

/// <summary>Close status codes of RFC 6455 section 7.4.1 that this server sends or names.</summary>
public enum CloseCode : ushort
{
    NormalClosure = 1000,
    GoingAway = 1001,
    ProtocolError = 1002,
    UnsupportedData = 1003,
    /// <summary>Reserved: never on the wire; means "the close frame had no code".</summary>
    NoStatusReceived = 1005,
    /// <summary>Reserved: never on the wire; means "the connection dropped without a close frame".</summary>
    AbnormalClosure = 1006,
    InvalidPayloadData = 1007,
    PolicyViolation = 1008,
    MessageTooBig = 1009,
    MandatoryExtension = 1010,
    InternalServerError = 1011,
    /// <summary>IANA's registry of close codes: the server is restarting; a client may reconnect (to another node of a cluster).</summary>
    ServiceRestart = 1012,
    TryAgainLater = 1013,
}

public static class CloseCodeRules
{
    /// <summary>
    /// Whether a code may appear in a close frame (RFC 6455 section 7.4). 0-999 are not used;
    /// 1004, 1005, 1006 and 1015 are reserved and MUST NOT be sent; 1016-2999 are reserved for the
    /// RFC and its extensions (1012-1014 were later registered with IANA: service restart, try
    /// again later, bad gateway); 3000-3999 are for libraries and frameworks, 4000-4999 private.
    /// </summary>
    public static bool IsValidOnWire(int code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
}
