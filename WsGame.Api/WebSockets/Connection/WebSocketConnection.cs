using System.Buffers;
using System.IO.Pipelines;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// One open WebSocket over an upgraded HTTP/1.1 connection: the only place that touches its
/// pipes. A read loop feeds the <see cref="FrameDecoder"/> and acts on what it reports. Sends go
/// into a bounded queue of <see cref="OutboundMessage"/>s that one writer at a time drains (the
/// write lock), so any number of threads may send at once without ever interleaving two frames.
/// A client that does not read fills its own queue and is closed; it never blocks a sender.
/// </summary>
public sealed class WebSocketConnection
{
    private readonly PipeReader _input;
    private readonly Stream _transport;
    private readonly FrameDecoder _decoder;
    private readonly SendQueue _outbound = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConnectionSettings _settings;
    private readonly IWebSocketHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Action _abortTransport;
    private readonly ConnectionRegistry? _registry;

    /// <summary>Frames that queue up together are written in batches of up to this many bytes.</summary>
    private const int WriteBatchBytes = 16 * 1024;

    private int _state = (int)ConnectionState.Open;
    private int _queued;
    private bool _discardQueuedData;

    // Owned by whoever holds the write lock.
    private bool _closeWritten;
    private bool _writeFailed;
    private bool _writingEnded;

    /// <summary>Hands a drain to the thread pool without allocating; made on the first hand-over.</summary>
    private DrainWorkItem? _drainWorkItem;

    /// <summary>The managed thread running the read loop's frame handling, 0 while it waits for bytes.</summary>
    private int _readLoopThread;
    private CloseSummary? _summary; // the first reason the connection started to end wins

    // Written by the read loop and by keep-alive ticks; read with Volatile.
    private long _lastReceived;
    private long _pingSentAt;
    private long _closeDeadline;

    private long _messagesIn;
    private long _messagesOut;

    internal WebSocketConnection(
        long id,
        ConnectionInfo info,
        Stream transport,
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
        // Zero-byte reads: an idle connection holds no read buffer until bytes arrive.
        _input = PipeReader.Create(transport, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 2048, leaveOpen: true, useZeroByteReads: true));
        _transport = transport;
        _decoder = new FrameDecoder(settings.MaxMessageBytes);
        _lastReceived = time.GetTimestamp();
        OpenedAt = time.GetUtcNow();
    }

    /// <summary>Unique for the life of the process; used in logs and by the game as the player's connection.</summary>
    public long Id { get; }

    /// <summary>Where the connection came from and what it negotiated.</summary>
    public ConnectionInfo Info { get; }

    public DateTimeOffset OpenedAt { get; }

    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>How the connection ended (null while it is open).</summary>
    public CloseSummary? Summary => State == ConnectionState.Closed ? Volatile.Read(ref _summary) : null;

    /// <summary>Messages waiting in the send queue now; with <see cref="SendQueueLimit"/>, tells a client that falls behind.</summary>
    public int QueuedMessages => Math.Max(0, Volatile.Read(ref _queued));

    /// <summary>The most messages the send queue holds before the client is closed with 1008.</summary>
    public int SendQueueLimit => _settings.SendQueueLimit;

    public long MessagesIn => Interlocked.Read(ref _messagesIn);

    public long MessagesOut => Interlocked.Read(ref _messagesOut);

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
    /// False when the connection is closing, or when the queue is full, in which case the
    /// connection is closed with 1008: the client does not read what it is sent.
    /// </summary>
    public bool TrySend(OutboundMessage message)
    {
        if (State != ConnectionState.Open)
        {
            return false;
        }
        if (!TryReserveQueueSlot())
        {
            return false;
        }
        message.AddReference();
        _outbound.Enqueue(message);
        RequestWrite();
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
        if (!TryReserveQueueSlot())
        {
            return false;
        }
        body.AddReference();
        _outbound.Enqueue(body, sequence);
        RequestWrite();
        return true;
    }

    /// <summary>
    /// Starts the closing handshake from the server side (RFC 6455 section 7.1.2): sends a close
    /// frame, then waits up to the close timeout for the client's close before dropping TCP.
    /// Does nothing when the connection is already closing. Thread-safe.
    /// </summary>
    public void Close(CloseCode code, string reason) => Close(code, reason, discardQueued: false);

    /// <summary>Runs the connection until it is closed: the read loop here, writes as they are queued.</summary>
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
            await FinishAsync();
        }
    }

    /// <summary>
    /// Called periodically by the keep-alive service: pings a connection that has been silent for
    /// the keep-alive interval, fails one that stayed silent for the timeout after the ping, and
    /// drops one whose client did not answer our close frame in time.
    /// </summary>
    internal void OnTick(long now)
    {
        switch (State)
        {
            case ConnectionState.Open:
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
                    Enqueue(OutboundMessage.Create(Opcode.Ping, "keepalive"u8));
                }
                break;
            case ConnectionState.CloseSent:
                var deadline = Volatile.Read(ref _closeDeadline);
                if (deadline != 0 && now >= deadline)
                {
                    WebSocketLog.CloseTimeout(_logger, Id, _settings.CloseTimeout);
                    _input.CancelPendingRead();
                }
                break;
        }
    }

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
                    await _handler.OnMessageAsync(this, frame.MessageType, frame.Payload);
                }
                return true;

            case FrameEventKind.Ping:
                // 5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response ... with
                // identical Application data", unless it already sent a close frame.
                if (State == ConnectionState.Open && TryReserveQueueSlot())
                {
                    // Pongs count against the queue bound: a ping flood from a client that does not read ends in 1008.
                    Enqueue(OutboundMessage.Create(Opcode.Pong, frame.Payload.Span), slotReserved: true);
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
            Enqueue(frame.CloseCode == 0
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
            Enqueue(OutboundMessage.CreateClose(code, reason));
        }
        _input.CancelPendingRead();
    }

    private void Close(CloseCode code, string reason, bool discardQueued)
    {
        if (Interlocked.CompareExchange(ref _state, (int)ConnectionState.CloseSent, (int)ConnectionState.Open) != (int)ConnectionState.Open)
        {
            return;
        }
        SetSummary(new CloseSummary(code, reason, CloseInitiator.Server));
        WebSocketLog.ServerClosing(_logger, Id, (int)code, reason);
        if (discardQueued)
        {
            Volatile.Write(ref _discardQueuedData, true);
        }
        Volatile.Write(ref _closeDeadline, _time.GetTimestamp() + (long)(_settings.CloseTimeout.TotalSeconds * _time.TimestampFrequency));
        Enqueue(OutboundMessage.CreateClose(code, reason));
    }

    /// <summary>
    /// Takes a place in the bounded send queue. When the queue is full the client is not reading
    /// what it is sent: it is closed with 1008 (queued data dropped) and the event is logged.
    /// </summary>
    private bool TryReserveQueueSlot()
    {
        if (Interlocked.Increment(ref _queued) <= _settings.SendQueueLimit)
        {
            return true;
        }
        Interlocked.Decrement(ref _queued);
        WebSocketLog.SendQueueFull(_logger, Id, _settings.SendQueueLimit);
        Close(CloseCode.PolicyViolation, "send queue full: the client does not read", discardQueued: true);
        return false;
    }

    /// <summary>
    /// Hands over the caller's reference to the writer. Control frames come here directly,
    /// outside the queue bound, unless <paramref name="slotReserved"/> says a place was already taken.
    /// </summary>
    private void Enqueue(OutboundMessage message, bool slotReserved = false)
    {
        if (!slotReserved)
        {
            Interlocked.Increment(ref _queued);
        }
        _outbound.Enqueue(message);
        RequestWrite();
    }

    /// <summary>
    /// Makes sure someone drains the queue. If a writer holds the lock it will see the new message
    /// (it looks again after letting go). Otherwise the read loop writes its own replies at once,
    /// and any other thread (a broadcast, a keep-alive tick) hands the writing to the thread pool,
    /// so a sender never waits for a client's socket and a broadcast spreads over the cores.
    /// </summary>
    private void RequestWrite()
    {
        if (!_writeLock.Wait(0))
        {
            return;
        }
        if (Environment.CurrentManagedThreadId == Volatile.Read(ref _readLoopThread))
        {
            // Runs synchronously up to the first write that has to wait, then carries on by itself.
            _ = DrainAsync();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(_drainWorkItem ??= new DrainWorkItem(this), preferLocal: false);
        }
    }

    /// <summary>
    /// The thread pool's entry for a drain handed over by <see cref="RequestWrite"/>, kept private: only
    /// the holder of the write lock may start a drain, so the connection itself must not be a work item.
    /// </summary>
    private sealed class DrainWorkItem(WebSocketConnection connection) : IThreadPoolWorkItem
    {
        public void Execute() => _ = connection.DrainAsync();
    }

    /// <summary>Called holding the write lock: writes until the queue is empty, then lets go.</summary>
    private async Task DrainAsync()
    {
        try
        {
            while (true)
            {
                await WriteQueuedAsync();
                _writeLock.Release();
                // A message queued while we held the lock found it taken: take it back for that one.
                if (_outbound.IsEmpty || !_writeLock.Wait(0))
                {
                    return;
                }
            }
        }
        catch (Exception exception)
        {
            // WriteQueuedAsync handles a client that went away; anything else is a bug, logged, not lost.
            WebSocketLog.HandlerFailed(_logger, Id, exception);
            _writeFailed = true;
            _writeLock.Release();
            _input.CancelPendingRead();
        }
    }

    /// <summary>
    /// Called holding the write lock. A frame alone in the queue goes to the transport as it is
    /// (header and payload already in one buffer: one write, no copy); frames that queued up
    /// together are gathered into one batch buffer and written at once.
    /// </summary>
    private async ValueTask WriteQueuedAsync()
    {
        byte[]? batch = null;
        var batched = 0;
        try
        {
            while (_outbound.TryDequeue(out var message, out var sequence))
            {
                Interlocked.Decrement(ref _queued);
                var isClose = message.Opcode == Opcode.Close;
                if (_closeWritten || _writeFailed || _writingEnded || (!isClose && Volatile.Read(ref _discardQueuedData)))
                {
                    message.Release();
                    continue;
                }
                var frame = message.Frame;
                if (sequence >= 0)
                {
                    // The recipient's own first fragment goes into the batch; the shared body follows it below.
                    if (batched + SequencedFrames.MaxPrefixFrameLength > WriteBatchBytes)
                    {
                        await _transport.WriteAsync(batch.AsMemory(0, batched));
                        _registry?.CountBytesOut(batched);
                        batched = 0;
                    }
                    batch ??= ArrayPool<byte>.Shared.Rent(WriteBatchBytes);
                    batched += SequencedFrames.WritePrefixFrame(batch.AsSpan(batched), sequence);
                }
                if (batched > 0 && batched + frame.Length > WriteBatchBytes)
                {
                    await _transport.WriteAsync(batch.AsMemory(0, batched));
                    _registry?.CountBytesOut(batched);
                    batched = 0;
                }
                if (batched == 0 && (frame.Length > WriteBatchBytes / 2 || _outbound.IsEmpty))
                {
                    await _transport.WriteAsync(frame);
                    _registry?.CountBytesOut(frame.Length);
                }
                else
                {
                    batch ??= ArrayPool<byte>.Shared.Rent(WriteBatchBytes);
                    frame.Span.CopyTo(batch.AsSpan(batched));
                    batched += frame.Length;
                }
                message.Release();
                if (isClose)
                {
                    // 5.5.1: "the endpoint MUST NOT send any more data frames" after a close frame.
                    _closeWritten = true;
                }
                else if (message.Opcode is Opcode.Text or Opcode.Binary or Opcode.Continuation)
                {
                    Interlocked.Increment(ref _messagesOut);
                }
            }
            if (batched > 0)
            {
                await _transport.WriteAsync(batch.AsMemory(0, batched));
                _registry?.CountBytesOut(batched);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away while we were writing; the read loop sees the same and ends.
            WebSocketLog.WriteFailed(_logger, Id, exception.Message);
            _writeFailed = true;
            _input.CancelPendingRead();
        }
        finally
        {
            if (batch is not null)
            {
                ArrayPool<byte>.Shared.Return(batch);
            }
        }
    }

    /// <summary>Waits for the writer in progress, writes what is left (the close frame), and ends writing.</summary>
    private async Task FinalWriteAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            await WriteQueuedAsync();
        }
        finally
        {
            // From now on whatever is queued is released unwritten; so is what a failed write left behind.
            _writingEnded = true;
            while (_outbound.TryDequeue(out var left))
            {
                Interlocked.Decrement(ref _queued);
                left.Release();
            }
            _writeLock.Release();
        }
    }

    private async Task FinishAsync()
    {
        // Reading is over: whatever close frame is due is queued. Let the writer put it out,
        // but never wait longer than the close timeout for a client that does not read.
        var finalWrite = FinalWriteAsync();
        var flushed = await Task.WhenAny(finalWrite, Task.Delay(_settings.CloseTimeout, _time)) == finalWrite;
        if (!flushed)
        {
            _abortTransport();
        }
        _decoder.Dispose();
        await _input.CompleteAsync();
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
