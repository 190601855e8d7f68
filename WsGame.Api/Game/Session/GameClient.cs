using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Game.Session;

/// <summary>A connection on <c>/ws</c> and, once it joined, its player and room.</summary>
public sealed class GameClient(WebSocketConnection connection)
{
    public WebSocketConnection Connection { get; } = connection;

    /// <summary>Set under the room's lock when the join is accepted; null before and after.</summary>
    public PlayerState? Player { get; internal set; }

    public Room? Room { get; internal set; }

    public DateTimeOffset ConnectedAt => Connection.OpenedAt;

    /// <summary>The client fell behind and skipped updates: it gets a snapshot once it has caught up.</summary>
    internal bool NeedsSnapshot { get; set; }

    /// <summary>
    /// With a view distance, the cell of the view grid whose neighbourhood this client was last told about
    /// in full; null before the first update. A client that moves to another cell is told its new neighbours.
    /// </summary>
    internal long? ViewCell { get; set; }

    /// <summary>Queues a message the caller owns and releases it. False when the client is closing or full.</summary>
    internal bool Send(WebSockets.Connection.OutboundMessage message)
    {
        var sent = Connection.TrySend(message);
        message.Release();
        return sent;
    }
}
