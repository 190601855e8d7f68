using System.Buffers;
using System.Net.WebSockets;

namespace AspNetBuiltIn;

/// <summary>What one call to <see cref="MessageBuffer.ReceiveAsync"/> got.</summary>
internal readonly record struct Received(WebSocketMessageType Type, int Length, bool TooBig = false);

/// <summary>
/// One connection's receive buffer, rented from the shared pool and doubled when a message does not
/// fit, so a long-lived connection stops allocating once it has seen its largest message.
/// </summary>
internal sealed class MessageBuffer : IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(4096);

    public ReadOnlyMemory<byte> Memory(int length) => _array.AsMemory(0, length);

    public ReadOnlySpan<byte> Span(int length) => _array.AsSpan(0, length);

    /// <summary>
    /// Reads one whole message (all its fragments). Returns a Close result when the peer's close frame
    /// arrives, and <c>TooBig</c> as soon as the message grows past <paramref name="limit"/> bytes.
    /// </summary>
    public async ValueTask<Received> ReceiveAsync(WebSocket socket, int limit, CancellationToken cancellation)
    {
        var length = 0;
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

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
    }
}
