namespace WsGame.Api.WebSockets.Connection;

/// <summary>The life of a connection (RFC 6455 section 7): open, then closing one way or another, then closed.</summary>
public enum ConnectionState
{
    Open,
    /// <summary>We sent a close frame and wait (bounded) for the client's.</summary>
    CloseSent,
    /// <summary>The client sent a close frame; we answer it and close TCP.</summary>
    CloseReceived,
    /// <summary>We failed the connection (RFC 6455 section 7.1.7): a close frame, then TCP closed at once.</summary>
    Failed,
    Closed,
}
