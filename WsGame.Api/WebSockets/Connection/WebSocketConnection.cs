using System.Buffers;
using System.IO.Pipelines;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// One open WebSocket over an upgraded HTTP/1.1 connection: the only place that touches its
/// pipes. A read loop feeds the <see cref="FrameDecoder"/> and acts on what it reports; sends go to
/// its <see cref="ConnectionOutput"/>. What the server pushes on its own is bounded: a client that does
/// not read fills its queue, or lets a message wait the send timeout, and is closed with 1008; it never
/// blocks a sender. What the server answers to the client (echoes, pongs, errors) is bounded by reading:
/// past the reply mark the read loop waits for its replies to drain, and TCP slows the client down.
/// </summary>
public sealed class WebSocketConnection
{
    private readonly ConnectionTransport _transport;
    private readonly PipeReader _input;
    private readonly FrameDecoder _decoder;
    private readonly ConnectionOutput _output;
    private readonly ConnectionSettings _settings;
    private readonly IWebSocketHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Action _abortTransport;
    private readonly ConnectionRegistry? _registry;

    private int _state = (int)ConnectionState.Open;

    /// <summary>The managed thread running the read loop's frame handling, 0 while it waits for bytes.</summary>
    private int _readLoopThread;
    private CloseSummary? _summary; // the first reason the connection started to end wins

    // Written by the read loop and by keep-alive ticks; read with Volatile.
    private long _lastReceived;
    private long _pingSentAt;
    private long _closeDeadline;

    private long _messagesIn;

    /// <summary>Over a stream (the upgrade stream, or a test's in-memory one), wrapped in pipes of its own.</summary>
    internal WebSocketConnection(long id, ConnectionInfo info, Stream transport, ConnectionSettings settings, IWebSocketHandler handler,
        ILogger logger, TimeProvider time, Action abortTransport, ConnectionRegistry? registry = null)
        : this(id, info, ConnectionTransport.OverStream(transport), settings, handler, logger, time, abortTransport, registry)
    {
    }

    internal WebSocketConnection(
        long id,
        ConnectionInfo info,
        ConnectionTransport transport,
        ConnectionSettings settings,
        IWebSocketHandler handler,
        ILogger logger,
        TimeProvider time,
        Action abortTransport,
        ConnectionRegistry? registry = null)
    {
        _registry = registry;
        Id = id;
        Info = info;
        _settings = settings;
        _handler = handler;
        _logger = logger;
        _time = time;
        _abortTransport = abortTransport;
        _transport = transport;
        _input = transport.Input;
        _output = new ConnectionOutput(transport.Output, time, this, registry);
        _decoder = new FrameDecoder(settings.MaxMessageBytes);
        _lastReceived = time.GetTimestamp();
        OpenedAt = time.GetUtcNow();
    }

    /// <summary>Unique for the life of the process; used in logs and by the game as the player's connection.</summary>
    public long Id { get; }

    /// <summary>Where the connection came from and what it negotiated.</summary>
    public ConnectionInfo Info { get; }

    /// <summary>Which way its bytes go: Kestrel's transport pipe, or the upgrade stream.</summary>
    public TransportPath TransportPath => _transport.Path;

    public DateTimeOffset OpenedAt { get; }

    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>How the connection ended (null while it is open).</summary>
    public CloseSummary? Summary => State == ConnectionState.Closed ? Volatile.Read(ref _summary) : null;

    /// <summary>
    /// Messages the server pushed (not replies) waiting in the send queue now; with <see cref="SendQueueLimit"/>,
    /// tells a client that falls behind.
    /// </summary>
    public int QueuedMessages => _output.PushedMessages;

    /// <summary>The most messages the send queue holds before the client is closed with 1008.</summary>
    public int SendQueueLimit => _settings.SendQueueLimit;

    public long MessagesIn => Interlocked.Read(ref _messagesIn);

    public long MessagesOut => _output.MessagesOut;

    /// <summary>Frames <paramref name="payload"/> and queues it. False when the connection is closing or its queue is full.</summary>
    public bool TrySend(MessageType type, ReadOnlySpan<byte> payload)
    {
        if (State != ConnectionState.Open)
        {
            return false;
        }
        var message = OutboundMessage.Create((Opcode)type, payload);
        var queued = TrySend(message);
        message.Release();
        return queued;
    }

    /// <summary>
    /// Queues a shared, already framed message (taking a reference of its own when accepted). Thread-safe.
    /// Sent from the read loop's own handling it is a reply, held back by reading; from anywhere else it is
    /// pushed, and false when the connection is closing or when the queue is full, in which case the
    /// connection is closed with 1008: the client does not read what it is sent.
    /// </summary>
    public bool TrySend(OutboundMessage message)
    {
        if (State != ConnectionState.Open)
        {
            return false;
        }
        var isReply = OnReadLoop;
        if (!isReply && !TryReserveQueueSlot())
        {
            return false;
        }
        message.AddReference();
        _output.Enqueue(message, -1, isReply ? SendKind.Reply : SendKind.Pushed, writeInline: isReply);
        return true;
    }

    /// <summary>
    /// Queues a shared message body (a continuation frame from <see cref="SequencedFrames.CreateBody"/>) to go
    /// out behind this recipient's own first fragment carrying <paramref name="sequence"/>; otherwise as
    /// <see cref="TrySend(OutboundMessage)"/>. The two fragments are one queue entry, so nothing comes between them.
    /// </summary>
    public bool TrySend(OutboundMessage body, long sequence)
    {
        if (State != ConnectionState.Open)
        {
            return false;
        }
        var isReply = OnReadLoop;
        if (!isReply && !TryReserveQueueSlot())
        {
            return false;
        }
        body.AddReference();
        _output.Enqueue(body, sequence, isReply ? SendKind.Reply : SendKind.Pushed, writeInline: isReply);
        return true;
    }

    /// <summary>
    /// Starts the closing handshake from the server side (RFC 6455 section 7.1.2): sends a close
    /// frame, then waits up to the close timeout for the client's close before dropping TCP.
    /// Does nothing when the connection is already closing. Thread-safe.
    /// </summary>
    public void Close(CloseCode code, string reason) => Close(code, reason, discardQueued: false);

    /// <summary>
    /// Runs the connection until it is closed: the read loop here, writes as they are queued. Ends by leaving the
    /// registry it was added to (<see cref="WebSocketAcceptor.RunAsync"/>).
    /// </summary>
    internal async Task RunAsync()
    {
        try
        {
            await _handler.OnOpenAsync(this);
            await ReadLoopAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            WebSocketLog.HandlerFailed(_logger, Id, exception);
            Fail(CloseCode.InternalServerError, "internal server error");
        }
        finally
        {
            try
            {
                await FinishAsync();
            }
            finally
            {
                _registry?.Remove(this);
            }
        }
    }

    /// <summary>
    /// Called periodically by the keep-alive service: closes a connection whose write has waited for the
    /// client's socket longer than the send timeout, pings a connection that has been silent for the keep-alive interval,
    /// fails one that stayed silent for the timeout after the ping, and drops one whose client did not
    /// answer our close frame in time.
    /// </summary>
    internal void OnTick(long now)
    {
        switch (State)
        {
            case ConnectionState.Open:
                if (_settings.SendTimeout > TimeSpan.Zero && _output.WaitingSince is var waiting and not 0
                    && _time.GetElapsedTime(waiting, now) >= _settings.SendTimeout)
                {
                    // The client reads nothing, or far too slowly: found by time, before its queue fills.
                    WebSocketLog.SendTimeout(_logger, Id, _settings.SendTimeout);
                    Close(CloseCode.PolicyViolation, "send timeout: the client does not read", discardQueued: true);
                    break;
                }
                var pingSentAt = Volatile.Read(ref _pingSentAt);
                if (pingSentAt != 0)
                {
                    if (_time.GetElapsedTime(pingSentAt, now) >= _settings.KeepAliveTimeout)
                    {
                        WebSocketLog.KeepAliveTimeout(_logger, Id, _settings.KeepAliveTimeout);
                        Fail(CloseCode.InternalServerError, "keepalive ping timeout");
                    }
                }
                else if (_time.GetElapsedTime(Volatile.Read(ref _lastReceived), now) >= _settings.KeepAliveInterval)
                {
                    Volatile.Write(ref _pingSentAt, now);
                    // Pings and close frames bypass the queue bound: they are how a stuck client gets dropped.
                    EnqueueControl(OutboundMessage.Create(Opcode.Ping, "keepalive"u8));
                }
                break;
            case ConnectionState.CloseSent:
                var deadline = Volatile.Read(ref _closeDeadline);
                if (deadline != 0 && now >= deadline)
                {
                    WebSocketLog.CloseTimeout(_logger, Id, _settings.CloseTimeout);
                    StopReading();
                }
                break;
        }
    }

    /// <summary>True on the read loop while it handles a frame: what is sent from there answers the client.</summary>
    private bool OnReadLoop => Environment.CurrentManagedThreadId == Volatile.Read(ref _readLoopThread);

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            ReadResult result;
            Volatile.Write(ref _readLoopThread, 0);
            try
            {
                result = await _input.ReadAsync();
            }
            catch (IOException exception)
            {
                // A reset or broken connection: 7.1.5 calls that close code 1006.
                SetSummary(new CloseSummary(CloseCode.AbnormalClosure, exception.Message, CloseInitiator.Transport));
                return;
            }
            var buffer = result.Buffer;
            if (result.IsCanceled)
            {
                // A close we sent was not answered in time, or the connection was failed from a tick.
                SetSummary(new CloseSummary(CloseCode.AbnormalClosure, "the client did not complete the close handshake", CloseInitiator.Server));
                return;
            }
            if (!buffer.IsEmpty)
            {
                Volatile.Write(ref _lastReceived, _time.GetTimestamp());
                Volatile.Write(ref _pingSentAt, 0);
            }
            var received = buffer.Length;
            var keepReading = true;
            try
            {
                while (keepReading)
                {
                    // Replies sent from here (an echo, a pong, an answer to a bad message) are written
                    // inline, with no hop to another thread; a handler that awaited may be on a new one.
                    Volatile.Write(ref _readLoopThread, Environment.CurrentManagedThreadId);
                    var frame = _decoder.Decode(ref buffer);
                    if (frame.Kind == FrameEventKind.NeedMoreData)
                    {
                        break;
                    }
                    keepReading = await OnFrameAsync(frame);
                    if (State == ConnectionState.Open && _output.ReplyBytes > _settings.MaxPendingReplyBytes)
                    {
                        // Backpressure: the client sends faster than it reads our answers. Stop reading until
                        // they drained to a quarter of the mark; the client's sends then wait on TCP, not on us.
                        Volatile.Write(ref _readLoopThread, 0);
                        await _output.WhenRepliesDrainedAsync(_settings.MaxPendingReplyBytes / 4);
                    }
                }
            }
            finally
            {
                _registry?.CountBytesIn(received - buffer.Length);
                _input.AdvanceTo(buffer.Start, buffer.End);
            }
            if (!keepReading)
            {
                return;
            }
            if (result.IsCompleted)
            {
                // 7.1.5: the TCP connection closed without a close frame: "The WebSocket Connection Close Code is considered to be 1006".
                SetSummary(new CloseSummary(CloseCode.AbnormalClosure, "connection dropped without a close frame", CloseInitiator.Transport));
                return;
            }
        }
    }

    /// <summary>Acts on one decoded frame; false when the connection stops reading.</summary>
    private async ValueTask<bool> OnFrameAsync(FrameEvent frame)
    {
        switch (frame.Kind)
        {
            case FrameEventKind.Message:
                // 1.4: after sending a close frame, data received is discarded.
                if (State == ConnectionState.Open)
                {
                    Interlocked.Increment(ref _messagesIn);
                    var handling = _handler.OnMessageAsync(this, frame.MessageType, frame.Payload);
                    if (!handling.IsCompleted)
                    {
                        // This thread goes on to other work while the handler waits: what it sends is not our reply.
                        Volatile.Write(ref _readLoopThread, 0);
                    }
                    await handling;
                }
                return true;

            case FrameEventKind.Ping:
                // 5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response ... with
                // identical Application data", unless it already sent a close frame.
                if (State == ConnectionState.Open)
                {
                    // A pong is a reply: a ping flood from a client that does not read stops its own reading.
                    _output.Enqueue(OutboundMessage.Create(Opcode.Pong, frame.Payload.Span), -1, SendKind.Reply, writeInline: true);
                }
                return true;

            case FrameEventKind.Pong:
                return true; // 5.5.3: an unsolicited pong needs no answer; any traffic already counted as liveness.

            case FrameEventKind.Close:
                OnPeerClose(frame);
                return false;

            default:
                var violation = frame.Violation;
                WebSocketLog.ProtocolViolation(_logger, Id, violation, (int)violation.ToCloseCode());
                Fail(violation.ToCloseCode(), violation.ToReason());
                return false;
        }
    }

    private void OnPeerClose(FrameEvent frame)
    {
        var reason = System.Text.Encoding.UTF8.GetString(frame.Payload.Span);
        if (Interlocked.CompareExchange(ref _state, (int)ConnectionState.CloseReceived, (int)ConnectionState.Open) == (int)ConnectionState.Open)
        {
            // 5.5.1: answer with a close frame; "it typically echos the status code it received".
            var code = frame.CloseCode == 0 ? CloseCode.NoStatusReceived : (CloseCode)frame.CloseCode;
            SetSummary(new CloseSummary(code, reason, CloseInitiator.Client));
            EnqueueControl(frame.CloseCode == 0
                ? OutboundMessage.Create(Opcode.Close, ReadOnlySpan<byte>.Empty)
                : OutboundMessage.CreateClose(code, ""));
        }
        else
        {
            // The client answered the close we sent: the handshake is complete.
            Interlocked.Exchange(ref _state, (int)ConnectionState.CloseReceived);
        }
    }

    /// <summary>
    /// 7.1.7 "Fail the WebSocket Connection": send a close frame with the code (if we may still
    /// send), then close TCP without waiting for the client. What was queued before the failure
    /// (say, the echo of the message before a bad frame) still goes out first.
    /// </summary>
    private void Fail(CloseCode code, string reason)
    {
        if (Interlocked.CompareExchange(ref _state, (int)ConnectionState.Failed, (int)ConnectionState.Open) == (int)ConnectionState.Open)
        {
            SetSummary(new CloseSummary(code, reason, CloseInitiator.Server));
            EnqueueControl(OutboundMessage.CreateClose(code, reason));
        }
        StopReading();
    }

    private void Close(CloseCode code, string reason, bool discardQueued)
    {
        if (Interlocked.CompareExchange(ref _state, (int)ConnectionState.CloseSent, (int)ConnectionState.Open) != (int)ConnectionState.Open)
        {
            return;
        }
        SetSummary(new CloseSummary(code, reason, CloseInitiator.Server));
        WebSocketLog.ServerClosing(_logger, Id, (int)code, reason);
        _output.ReleaseReader(); // it reads on, for the client's close
        if (discardQueued)
        {
            _output.DiscardData();
        }
        Volatile.Write(ref _closeDeadline, _time.GetTimestamp() + (long)(_settings.CloseTimeout.TotalSeconds * _time.TimestampFrequency));
        EnqueueControl(OutboundMessage.CreateClose(code, reason));
    }

    /// <summary>
    /// Takes a place in the bounded send queue. When the queue is full the client is not reading
    /// what it is sent: it is closed with 1008 (queued data dropped) and the event is logged.
    /// </summary>
    private bool TryReserveQueueSlot()
    {
        if (_output.TryReservePushed(_settings.SendQueueLimit))
        {
            return true;
        }
        WebSocketLog.SendQueueFull(_logger, Id, _settings.SendQueueLimit);
        Close(CloseCode.PolicyViolation, "send queue full: the client does not read", discardQueued: true);
        return false;
    }

    /// <summary>Ends the read loop's wait, for bytes or for its replies to drain: the connection is ending.</summary>
    private void StopReading()
    {
        _output.ReleaseReader();
        _input.CancelPendingRead();
    }

    /// <summary>Hands a ping or a close frame (the caller's reference) to the writer, outside every bound.</summary>
    private void EnqueueControl(OutboundMessage message) =>
        _output.Enqueue(message, -1, SendKind.Control, writeInline: OnReadLoop);

    /// <summary>
    /// Called by the output when a write failed: the client went away (or, <paramref name="unexpected"/>, a bug);
    /// the read loop is woken to end the connection.
    /// </summary>
    internal void OnWriteFailed(Exception exception, bool unexpected)
    {
        if (unexpected)
        {
            WebSocketLog.HandlerFailed(_logger, Id, exception);
        }
        else
        {
            WebSocketLog.WriteFailed(_logger, Id, exception.Message);
        }
        StopReading();
    }

    private async Task FinishAsync()
    {
        // Reading is over: whatever close frame is due is queued. Let the writer put it out,
        // but never wait longer than the close timeout for a client that does not read.
        var finalWrite = _output.FinalWriteAsync();
        var flushed = await Task.WhenAny(finalWrite, Task.Delay(_settings.CloseTimeout, _time)) == finalWrite;
        if (!flushed)
        {
            _abortTransport();
        }
        _decoder.Dispose();
        await _transport.CompleteAsync();
        SetSummary(new CloseSummary(CloseCode.AbnormalClosure, "connection dropped", CloseInitiator.Transport));
        var summary = _summary!;
        Interlocked.Exchange(ref _state, (int)ConnectionState.Closed);
        WebSocketLog.Closed(_logger, Id, (int)summary.Code, summary.Reason, summary.Initiator,
            (_time.GetUtcNow() - OpenedAt).TotalSeconds, MessagesIn, MessagesOut);
        try
        {
            await _handler.OnClosedAsync(this, summary);
        }
        catch (Exception exception)
        {
            WebSocketLog.HandlerFailed(_logger, Id, exception);
        }
    }

    private void SetSummary(CloseSummary summary) => Interlocked.CompareExchange(ref _summary, summary, null);
}
