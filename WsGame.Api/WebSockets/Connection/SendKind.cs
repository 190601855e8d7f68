namespace WsGame.Api.WebSockets.Connection;

/// <summary>What a queued frame counts toward: each kind of frame has its own limit, for its own reason.</summary>
internal enum SendKind
{
    /// <summary>
    /// Sent by the server on its own (a broadcast, a tick): counts toward the send queue's bound, and a client
    /// that lets the bound fill does not read, so it is closed with 1008.
    /// </summary>
    Pushed,

    /// <summary>
    /// An answer to what the client sent (an echo, a pong, an error), queued on its read loop: counts toward
    /// the reply bytes, and past their mark the connection stops reading until they drain, so TCP slows the
    /// client down instead of the server closing it.
    /// </summary>
    Reply,

    /// <summary>A keep-alive ping or a close frame: outside every bound, as it is how a stuck client gets dropped.</summary>
    Control,
}
