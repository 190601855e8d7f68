using System.Net.WebSockets;
using System.Threading.Channels;

namespace AspNetBuiltIn;

/// <summary>
/// One chat connection's outgoing side: a bounded queue of serialized messages drained by a single
/// sender loop, so the only code that awaits on this client's socket is its own loop. A broadcast just
/// queues the shared bytes (never awaits); a client that lets its queue fill is aborted rather than
/// allowed to slow anyone else down.
/// </summary>
internal sealed class ChatClient(WebSocket socket, int queueLimit)
{
    private readonly Channel<byte[]> _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueLimit)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait, // only TryWrite is used: full means "too slow"
    });
    private WebSocketCloseStatus? _closeReply;
    private int _aborted;

    /// <summary>Set by join; null until then. Written and read by this client's receive loop only.</summary>
    public string? Name { get; set; }

    /// <summary>The room's index of this client, for O(1) removal; guarded by the room's lock.</summary>
    public int Slot { get; set; } = -1;

    public void Enqueue(byte[] payload)
    {
        if (!_outbox.Writer.TryWrite(payload))
        {
            Abort();
        }
    }

    /// <summary>No more messages; the sender loop drains the queue, then sends the close frame if one is given.</summary>
    public void Finish(WebSocketCloseStatus? closeReply)
    {
        _closeReply = closeReply;
        _outbox.Writer.TryComplete();
    }

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            socket.Abort();
        }
    }

    public async Task RunSenderAsync()
    {
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var payload))
                {
                    await socket.SendAsync(payload, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            if (_closeReply is { } status)
            {
                await socket.CloseOutputAsync(status, null, CancellationToken.None);
            }
        }
        catch (Exception exception) when (Peer.IsDisconnect(exception))
        {
            Abort();
        }
    }
}
