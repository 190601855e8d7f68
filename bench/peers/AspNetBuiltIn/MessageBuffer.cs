using System.Buffers;
using System.Net.WebSockets;

namespace AspNetBuiltIn;

/// <summary>What one call to <see cref="MessageBuffer.ReceiveAsync"/> got.</summary>
internal readonly record struct Received(WebSocketMessageType Type, int Length, bool TooBig = false);

/// <summary>
/// One connection's receive buffer, rented from the shared pool only once a message starts to
/// arrive (a zero-byte receive waits for it first) and doubled when a message does not fit.
/// <see cref="Release"/> gives it back between messages, so an idle connection holds no buffer,
/// as WsGame's does not: the idle scenario compares the WebSocket stacks, not this peer's buffering.
/// </summary>
internal sealed class MessageBuffer : IDisposable
{
    private const int FirstSize = 4096;

    private byte[] _array = [];

    public ReadOnlyMemory<byte> Memory(int length) => _array.AsMemory(0, length);

    public ReadOnlySpan<byte> Span(int length) => _array.AsSpan(0, length);

    /// <summary>
    /// Reads one whole message (all its fragments). Returns a Close result when the peer's close frame
    /// arrives, and <c>TooBig</c> as soon as the message grows past <paramref name="limit"/> bytes.
    /// </summary>
    public async ValueTask<Received> ReceiveAsync(WebSocket socket, int limit, CancellationToken cancellation)
    {
        var length = 0;
        if (_array.Length == 0)
        {
            // Wait for the next frame without a buffer; it reports an empty frame whole.
            var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellation);
            if (first.MessageType == WebSocketMessageType.Close)
            {
                return new Received(WebSocketMessageType.Close, 0);
            }
            if (first.EndOfMessage)
            {
                return new Received(first.MessageType, 0);
            }
            _array = ArrayPool<byte>.Shared.Rent(FirstSize);
        }
        while (true)
        {
            if (length == _array.Length)
            {
                var grown = ArrayPool<byte>.Shared.Rent(_array.Length * 2);
                _array.AsSpan(0, length).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_array);
                _array = grown;
            }
            var result = await socket.ReceiveAsync(_array.AsMemory(length), cancellation);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new Received(WebSocketMessageType.Close, 0);
            }
            length += result.Count;
            if (length > limit)
            {
                return new Received(result.MessageType, length, TooBig: true);
            }
            if (result.EndOfMessage)
            {
                return new Received(result.MessageType, length);
            }
        }
    }

    /// <summary>Gives the buffer back to the pool once the message it holds has been used.</summary>
    public void Release()
    {
        if (_array.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }

    public void Dispose() => Release();
}
