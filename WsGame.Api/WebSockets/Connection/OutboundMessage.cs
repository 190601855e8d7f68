using System.Buffers;
using Microsoft.Extensions.ObjectPool;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// One server frame, framed once (header and payload in one pooled buffer) and shared by every
/// connection it is sent to: a broadcast to a thousand players is one buffer with a reference
/// count, not a thousand copies. Whoever creates one owns a reference and calls <see cref="Release"/>
/// when done with it; each connection that queues it holds its own reference until it is written.
/// The objects and their buffers are pooled, so steady traffic allocates nothing.
/// </summary>
public sealed class OutboundMessage
{
    private static readonly ObjectPool<OutboundMessage> Pool =
        new DefaultObjectPool<OutboundMessage>(new DefaultPooledObjectPolicy<OutboundMessage>(), maximumRetained: 4096);

    private byte[] _buffer = [];
    private int _length;
    private int _headerLength;
    private int _references;

    /// <summary>The frame's opcode.</summary>
    public Opcode Opcode { get; private set; }

    /// <summary>The bytes to put on the wire. Valid while the caller holds a reference.</summary>
    public ReadOnlyMemory<byte> Frame => _buffer.AsMemory(0, _length);

    /// <summary>The frame's payload (after its header). Valid while the caller holds a reference.</summary>
    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(_headerLength, _length - _headerLength);

    /// <summary>Frames <paramref name="payload"/> (copied) as one unmasked frame with FIN set.</summary>
    public static OutboundMessage Create(Opcode opcode, ReadOnlySpan<byte> payload)
    {
        var message = Rent(opcode, payload.Length, out var destination);
        payload.CopyTo(destination);
        return message;
    }

    /// <summary>A pooled frame with its header written; the caller fills <paramref name="payload"/>.</summary>
    private static OutboundMessage Rent(Opcode opcode, int payloadLength, out Span<byte> payload)
    {
        var message = Pool.Get();
        var headerLength = FrameWriter.HeaderLength(payloadLength);
        message._buffer = ArrayPool<byte>.Shared.Rent(headerLength + payloadLength);
        FrameWriter.WriteHeader(message._buffer, opcode, payloadLength);
        message._length = headerLength + payloadLength;
        message._headerLength = headerLength;
        message._references = 1;
        message.Opcode = opcode;
        payload = message._buffer.AsSpan(headerLength, payloadLength);
        return message;
    }

    /// <summary>A close frame with a code and a reason (cut to fit the 125-byte control limit).</summary>
    public static OutboundMessage CreateClose(CloseCode code, string reason)
    {
        Span<byte> payload = stackalloc byte[ProtocolLimits.MaxControlPayloadLength];
        return Create(Opcode.Close, payload[..FrameWriter.WriteClosePayload(payload, code, reason)]);
    }

    /// <summary>Takes one more reference (for one more queue the message is put in).</summary>
    public void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>Drops one reference; the last one returns the buffer and the object to their pools.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
            Pool.Return(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("OutboundMessage released more often than referenced.");
        }
    }
}
