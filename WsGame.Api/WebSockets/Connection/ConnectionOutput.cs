using System.Buffers;
using System.IO.Pipelines;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// The writing half of a connection: a queue of framed messages that one writer at a time drains (the write
/// lock), so any number of threads may send at once without ever interleaving two frames and without
/// waiting for the client's socket. It keeps the three counts the connection's limits are judged on: pushed
/// messages (the send queue's bound), reply bytes (when reading stops), and how long the write in progress has
/// waited for the client's socket (the send timeout).
/// </summary>
internal sealed class ConnectionOutput
{
    /// <summary>
    /// A drain flushes at the end, or once this much is written and not yet flushed: past it a client that reads
    /// slowly makes the flush wait, rather than our share of the pipe grow.
    /// </summary>
    private const int FlushBytes = 64 * 1024;

    /// <summary>What a reply costs at least, so that a flood of empty pongs is bounded by count as well.</summary>
    private const int MinReplyCharge = 64;

    private readonly PipeWriter _output;
    private readonly SendQueue _queue = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeProvider _time;
    private readonly WebSocketConnection _connection;
    private readonly ConnectionRegistry? _registry;

    private int _pushed;
    private int _replyBytes;
    private int _replyLowWater;
    private TaskCompletionSource? _replyWaiter;
    private bool _discardData;
    private bool _readerReleased;
    private long _messagesOut;

    // When the write in progress began to wait for the client's socket (0: none waits). Only a write that a full
    // socket holds up counts, from when it was held up: a frame that waited for a thread of ours (a busy pool)
    // says nothing about the client, and a client that reads keeps every write short however busy it is.
    private long _writingSince;

    // Owned by whoever holds the write lock.
    private bool _closeWritten;
    private bool _writeFailed;
    private bool _ended;

    /// <summary>Hands a drain to the thread pool without allocating; made on the first hand-over.</summary>
    private DrainWorkItem? _drainWorkItem;

    public ConnectionOutput(PipeWriter output, TimeProvider time, WebSocketConnection connection, ConnectionRegistry? registry)
    {
        _output = output;
        _time = time;
        _connection = connection;
        _registry = registry;
    }

    /// <summary>Pushed messages waiting now (replies and control frames are not counted).</summary>
    public int PushedMessages => Math.Max(0, Volatile.Read(ref _pushed));

    /// <summary>What the queued replies cost, in bytes (at least <see cref="MinReplyCharge"/> each).</summary>
    public int ReplyBytes => Volatile.Read(ref _replyBytes);

    public long MessagesOut => Interlocked.Read(ref _messagesOut);

    /// <summary>From now on data frames still queued are dropped unwritten; a close frame still goes out.</summary>
    public void DiscardData() => Volatile.Write(ref _discardData, true);

    /// <summary>Takes a place among the pushed messages; false (and no place taken) when <paramref name="limit"/> are waiting.</summary>
    public bool TryReservePushed(int limit)
    {
        if (Interlocked.Increment(ref _pushed) <= limit)
        {
            return true;
        }
        Interlocked.Decrement(ref _pushed);
        return false;
    }

    /// <summary>
    /// Hands over the caller's reference to the writer. A pushed message must have its place reserved. With
    /// <paramref name="writeInline"/> (the read loop's own replies) the caller starts writing at once, with no hop
    /// to another thread; any other sender hands the writing to the thread pool, so it never waits for the
    /// client's socket and a broadcast spreads over the cores.
    /// </summary>
    public void Enqueue(OutboundMessage message, long sequence, SendKind kind, bool writeInline)
    {
        if (kind == SendKind.Reply)
        {
            Interlocked.Add(ref _replyBytes, Math.Max(MinReplyCharge, message.Frame.Length));
        }
        _queue.Enqueue(message, sequence, kind);
        if (!_writeLock.Wait(0))
        {
            return; // the writer holding the lock sees the new message: it looks again after letting go
        }
        if (writeInline)
        {
            // Runs synchronously up to the first write that has to wait, then carries on by itself.
            _ = DrainAsync();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(_drainWorkItem ??= new DrainWorkItem(this), preferLocal: false);
        }
    }

    /// <summary>When the write in progress began to wait for the client's socket; 0 when none waits.</summary>
    public long WaitingSince => Volatile.Read(ref _writingSince);

    /// <summary>
    /// Completes once the queued replies cost no more than <paramref name="lowWater"/> bytes, or writing ended.
    /// Called by the read loop only, which then reads again: the client's own replies are what holds it back.
    /// </summary>
    public Task WhenRepliesDrainedAsync(int lowWater)
    {
        // Allocated once per stop, not per message: a connection stops reading only after many replies.
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _replyLowWater, lowWater);
        Volatile.Write(ref _replyWaiter, waiter);
        // The writer may have drained below the mark before it could see the waiter: look again.
        if (Volatile.Read(ref _replyBytes) <= lowWater || Volatile.Read(ref _readerReleased)
            || Volatile.Read(ref _ended) || Volatile.Read(ref _writeFailed))
        {
            WakeReader();
        }
        return waiter.Task;
    }

    /// <summary>Waits for the writer in progress, writes what is left (the close frame), and ends writing.</summary>
    public async Task FinalWriteAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            await WriteQueuedAsync();
        }
        finally
        {
            // From now on whatever is queued is released unwritten; so is what a failed write left behind.
            Volatile.Write(ref _ended, true);
            while (_queue.TryTake(out var left))
            {
                Settle(left);
                left.Message.Release();
            }
            _writeLock.Release();
            WakeReader();
        }
    }

    /// <summary>The connection is closing: the read loop must not wait for replies any more (it reads the close).</summary>
    public void ReleaseReader()
    {
        Volatile.Write(ref _readerReleased, true);
        WakeReader();
    }

    private void WakeReader() => Interlocked.Exchange(ref _replyWaiter, null)?.TrySetResult();

    /// <summary>A frame has left the queue: it no longer counts toward its kind's limit.</summary>
    private void Settle(in SendQueue.Entry entry)
    {
        switch (entry.Kind)
        {
            case SendKind.Pushed:
                Interlocked.Decrement(ref _pushed);
                break;
            case SendKind.Reply:
                var left = Interlocked.Add(ref _replyBytes, -Math.Max(MinReplyCharge, entry.Message.Frame.Length));
                if (left <= Volatile.Read(ref _replyLowWater) && Volatile.Read(ref _replyWaiter) is not null)
                {
                    WakeReader();
                }
                break;
        }
    }

    /// <summary>
    /// The thread pool's entry for a drain handed over by <see cref="Enqueue"/>, kept private: only the holder
    /// of the write lock may start a drain, so the output itself must not be a work item.
    /// </summary>
    private sealed class DrainWorkItem(ConnectionOutput output) : IThreadPoolWorkItem
    {
        public void Execute() => _ = output.DrainAsync();
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
                if (_queue.IsEmpty || !_writeLock.Wait(0))
                {
                    return;
                }
            }
        }
        catch (Exception exception)
        {
            // WriteQueuedAsync handles a client that went away; anything else is a bug, logged, not lost.
            _connection.OnWriteFailed(exception, unexpected: true);
            Volatile.Write(ref _writeFailed, true);
            _writeLock.Release();
            WakeReader();
        }
    }

    /// <summary>
    /// Called holding the write lock. Every queued frame is copied into the output pipe (a recipient's own
    /// sequence fragment written straight into it), and the pipe is flushed once at the end: one write to the
    /// socket for all that queued up together, and no buffer of our own in between.
    /// </summary>
    private async ValueTask WriteQueuedAsync()
    {
        try
        {
            var unflushed = 0;
            while (_queue.TryTake(out var entry))
            {
                Settle(entry);
                var message = entry.Message;
                var isClose = message.Opcode == Opcode.Close;
                if (_closeWritten || _writeFailed || _ended || (!isClose && Volatile.Read(ref _discardData)))
                {
                    message.Release();
                    continue;
                }
                if (entry.Sequence >= 0)
                {
                    // The recipient's own first fragment; the shared body follows it.
                    var prefix = SequencedFrames.WritePrefixFrame(_output.GetSpan(SequencedFrames.MaxPrefixFrameLength), entry.Sequence);
                    _output.Advance(prefix);
                    unflushed += prefix;
                }
                var frame = message.Frame;
                _output.Write(frame.Span);
                unflushed += frame.Length;
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
                if (unflushed >= FlushBytes)
                {
                    await FlushAsync(unflushed);
                    unflushed = 0;
                }
            }
            if (unflushed > 0)
            {
                await FlushAsync(unflushed);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away while we were writing; the read loop sees the same and ends.
            Volatile.Write(ref _writingSince, 0);
            Volatile.Write(ref _writeFailed, true);
            _connection.OnWriteFailed(exception, unexpected: false);
            WakeReader();
        }
    }

    /// <summary>Flushes what was written; a flush that has to wait is marked with when it began to wait.</summary>
    private ValueTask FlushAsync(int length)
    {
        var flushing = _output.FlushAsync();
        if (flushing.IsCompletedSuccessfully)
        {
            Flushed(flushing.Result, length);
            return ValueTask.CompletedTask;
        }
        Volatile.Write(ref _writingSince, _time.GetTimestamp());
        return AwaitFlushAsync(flushing, length);
    }

    private async ValueTask AwaitFlushAsync(ValueTask<FlushResult> flushing, int length)
    {
        var result = await flushing;
        Volatile.Write(ref _writingSince, 0);
        Flushed(result, length);
    }

    private void Flushed(FlushResult result, int length)
    {
        if (result.IsCompleted || result.IsCanceled)
        {
            // The transport stopped reading what we write: the connection is gone.
            throw new IOException("the connection's output was closed");
        }
        _registry?.CountBytesOut(length);
    }
}
