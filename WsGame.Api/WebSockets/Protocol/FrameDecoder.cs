using System.Buffers;
using System.Buffers.Binary;

namespace WsGame.Api.WebSockets.Protocol;

/// <summary>
/// The receiving half of the protocol, with no I/O: bytes from the client go in, whole messages,
/// control frames and broken rules come out. Payload bytes are unmasked and UTF-8 checked as they
/// arrive (so a bad text message fails before the rest of it is sent), and every limit is checked
/// from the frame header before a byte of payload is buffered.
/// Not thread-safe: one reader per connection.
/// </summary>
public sealed class FrameDecoder : IDisposable
{
    private const int MinimumMessageBuffer = 256;

    private readonly int _maxMessageBytes;
    private readonly ArrayPool<byte> _pool;
    private readonly byte[] _control = new byte[ProtocolLimits.MaxControlPayloadLength];

    private State _state = State.Header;
    private ProtocolViolation _violation;

    // The frame being read.
    private Opcode _frameOpcode;
    private bool _frameFin;
    private long _frameRemaining;
    private uint _maskKey;
    private int _maskIndex;
    private int _controlLength;

    // The message being assembled (from one or more frames).
    private MessageType? _messageType;
    private byte[]? _message;
    private int _messageLength;
    private Utf8Validator _utf8;
    private bool _messageDelivered;

    public FrameDecoder(int maxMessageBytes, ArrayPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 0);
        _maxMessageBytes = maxMessageBytes;
        _pool = pool ?? ArrayPool<byte>.Shared;
    }

    private enum State : byte
    {
        Header,
        Payload,
        /// <summary>A close frame was received: the peer sends nothing more that we must read.</summary>
        Closed,
        /// <summary>A rule was broken: the byte stream can no longer be trusted.</summary>
        Failed,
    }

    /// <summary>The rule the peer broke, once <see cref="Decode"/> has reported one.</summary>
    public ProtocolViolation Violation => _violation;

    /// <summary>
    /// Consumes bytes from the start of <paramref name="buffer"/> (slicing it) until it has an
    /// event to report or the buffer is used up (<see cref="FrameEventKind.NeedMoreData"/>). An
    /// incomplete header is left in the buffer; partial payloads are consumed as they come.
    /// After a close or a violation, further bytes are discarded.
    /// </summary>
    public FrameEvent Decode(ref ReadOnlySequence<byte> buffer)
    {
        ReleaseDeliveredMessage();
        while (true)
        {
            switch (_state)
            {
                case State.Closed or State.Failed:
                    buffer = buffer.Slice(buffer.End);
                    return FrameEvent.NeedMoreData;

                case State.Header:
                    if (!FrameHeader.TryRead(buffer, out var header, out var headerLength))
                    {
                        return FrameEvent.NeedMoreData;
                    }
                    var broken = CheckHeader(header);
                    if (broken != ProtocolViolation.None)
                    {
                        return Fail(broken);
                    }
                    buffer = buffer.Slice(headerLength);
                    BeginFrame(header);
                    break;

                case State.Payload:
                    if (_frameRemaining > 0)
                    {
                        if (buffer.IsEmpty)
                        {
                            return FrameEvent.NeedMoreData;
                        }
                        var take = (int)Math.Min(_frameRemaining, buffer.Length);
                        var bad = ConsumePayload(buffer.Slice(0, take));
                        buffer = buffer.Slice(take);
                        _frameRemaining -= take;
                        if (bad != ProtocolViolation.None)
                        {
                            return Fail(bad);
                        }
                        if (_frameRemaining > 0)
                        {
                            return FrameEvent.NeedMoreData;
                        }
                    }
                    _state = State.Header;
                    var completed = CompleteFrame();
                    if (completed.Kind != FrameEventKind.NeedMoreData)
                    {
                        return completed;
                    }
                    break;
            }
        }
    }

    public void Dispose()
    {
        ReturnMessageBuffer();
        _state = State.Failed;
    }

    private ProtocolViolation CheckHeader(in FrameHeader header)
    {
        // 5.2: "MUST be 0 unless an extension is negotiated that defines meanings for non-zero values."
        if (header.ReservedBits != 0)
        {
            return ProtocolViolation.ReservedBitsSet;
        }
        // 5.2: "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_."
        if (!OpcodeRules.IsDefined(header.RawOpcode))
        {
            return ProtocolViolation.ReservedOpcode;
        }
        // 5.1: "The server MUST close the connection upon receiving a frame that is not masked."
        if (!header.Masked)
        {
            return ProtocolViolation.UnmaskedClientFrame;
        }
        // 5.2: "the most significant bit MUST be 0" (of the 64-bit length).
        if (header.PayloadLength < 0)
        {
            return ProtocolViolation.PayloadLengthTooLarge;
        }
        if (header.Opcode.IsControl())
        {
            // 5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented."
            if (!header.Fin)
            {
                return ProtocolViolation.FragmentedControlFrame;
            }
            return header.PayloadLength > ProtocolLimits.MaxControlPayloadLength
                ? ProtocolViolation.ControlFrameTooLong
                : ProtocolViolation.None;
        }
        if (header.Opcode == Opcode.Continuation)
        {
            // 5.4: continuation frames only follow a first frame with FIN clear.
            if (_messageType is null)
            {
                return ProtocolViolation.ContinuationWithoutMessage;
            }
        }
        else if (_messageType is not null)
        {
            // 5.4: "the fragments of one message MUST NOT be interleaved between the fragments of another message".
            return ProtocolViolation.DataFrameInsideFragmentedMessage;
        }
        // 10.4: the limit is checked from the header, before any of this frame's payload is buffered.
        var alreadyReceived = header.Opcode == Opcode.Continuation ? _messageLength : 0;
        return header.PayloadLength > _maxMessageBytes - alreadyReceived
            ? ProtocolViolation.MessageTooBig
            : ProtocolViolation.None;
    }

    private void BeginFrame(in FrameHeader header)
    {
        _state = State.Payload;
        _frameOpcode = header.Opcode;
        _frameFin = header.Fin;
        _frameRemaining = header.PayloadLength;
        _maskKey = header.MaskKey;
        _maskIndex = 0;
        if (header.Opcode.IsControl())
        {
            _controlLength = 0;
        }
        else if (header.Opcode != Opcode.Continuation)
        {
            _messageType = (MessageType)header.Opcode;
            _messageLength = 0;
            _utf8.Reset();
        }
    }

    private ProtocolViolation ConsumePayload(in ReadOnlySequence<byte> chunk)
    {
        if (_frameOpcode.IsControl())
        {
            foreach (var segment in chunk)
            {
                _maskIndex = Masking.Apply(segment.Span, _control.AsSpan(_controlLength), _maskKey, _maskIndex);
                _controlLength += segment.Length;
            }
            return ProtocolViolation.None;
        }

        EnsureMessageCapacity(_messageLength + (int)chunk.Length);
        foreach (var segment in chunk)
        {
            var destination = _message.AsSpan(_messageLength, segment.Length);
            _maskIndex = Masking.Apply(segment.Span, destination, _maskKey, _maskIndex);
            _messageLength += segment.Length;
            // 8.1: fail as soon as the bytes so far cannot begin valid UTF-8, not at the end of the message.
            if (_messageType == MessageType.Text && !_utf8.TryAppend(destination))
            {
                return ProtocolViolation.InvalidUtf8;
            }
        }
        return ProtocolViolation.None;
    }

    private FrameEvent CompleteFrame()
    {
        switch (_frameOpcode)
        {
            case Opcode.Ping:
                return FrameEvent.Control(FrameEventKind.Ping, _control.AsMemory(0, _controlLength));
            case Opcode.Pong:
                return FrameEvent.Control(FrameEventKind.Pong, _control.AsMemory(0, _controlLength));
            case Opcode.Close:
                return CompleteClose();
        }
        if (!_frameFin)
        {
            return FrameEvent.NeedMoreData;
        }
        var type = _messageType!.Value;
        if (type == MessageType.Text && !_utf8.IsComplete)
        {
            return Fail(ProtocolViolation.InvalidUtf8);
        }
        _messageType = null;
        _messageDelivered = true;
        return FrameEvent.Message(type, _message.AsMemory(0, _messageLength));
    }

    private FrameEvent CompleteClose()
    {
        var payload = _control.AsSpan(0, _controlLength);
        if (payload.Length == 0)
        {
            _state = State.Closed;
            return FrameEvent.Control(FrameEventKind.Close, ReadOnlyMemory<byte>.Empty);
        }
        // 5.5.1: "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer".
        if (payload.Length == 1)
        {
            return Fail(ProtocolViolation.CloseFrameOneBytePayload);
        }
        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!CloseCodeRules.IsValidOnWire(code))
        {
            return Fail(ProtocolViolation.InvalidCloseCode);
        }
        // 5.5.1: the reason "is not guaranteed to be human readable" but MUST be UTF-8.
        if (!System.Text.Unicode.Utf8.IsValid(payload[2..]))
        {
            return Fail(ProtocolViolation.InvalidCloseReason);
        }
        _state = State.Closed;
        return FrameEvent.Control(FrameEventKind.Close, _control.AsMemory(2, _controlLength - 2), code);
    }

    private FrameEvent Fail(ProtocolViolation violation)
    {
        _state = State.Failed;
        _violation = violation;
        ReturnMessageBuffer();
        return FrameEvent.Broken(violation);
    }

    private void EnsureMessageCapacity(int needed)
    {
        if (_message is not null && _message.Length >= needed)
        {
            return;
        }
        // Grow with the bytes that actually arrived (doubling), never to what a header merely
        // announces: a client cannot make us reserve a megabyte by sending 14 bytes.
        var size = Math.Max(needed, Math.Max(MinimumMessageBuffer, (_message?.Length ?? 0) * 2));
        size = Math.Min(size, Math.Max(needed, _maxMessageBytes));
        var grown = _pool.Rent(size);
        if (_message is not null)
        {
            _message.AsSpan(0, _messageLength).CopyTo(grown);
            _pool.Return(_message);
        }
        _message = grown;
    }

    private void ReleaseDeliveredMessage()
    {
        if (_messageDelivered)
        {
            // Idle connections hold no message buffer; the pool keeps it warm for the next one.
            _messageDelivered = false;
            ReturnMessageBuffer();
        }
    }

    private void ReturnMessageBuffer()
    {
        if (_message is not null)
        {
            _pool.Return(_message);
            _message = null;
        }
        _messageLength = 0;
    }
}
