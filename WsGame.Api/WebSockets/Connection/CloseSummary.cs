using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>Who ended a connection.</summary>
public enum CloseInitiator : byte
{
    Client,
    Server,
    /// <summary>The TCP connection ended without a close handshake.</summary>
    Transport,
}

/// <summary>How a connection ended: the close code (1006 when no close frame was exchanged), why, and who started it.</summary>
public sealed record CloseSummary(CloseCode Code, string Reason, CloseInitiator Initiator);
