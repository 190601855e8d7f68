using System.Collections.Concurrent;
using WsGame.Api.Game.Rooms;
using WsGame.Api.Game.Wire;
using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Game.Session;

/// <summary>
/// A room as an actor on this process: a mailbox that any thread posts to without a lock or a wait, and one
/// work item on the thread pool at a time that hands the inputs, the room's own tick included, to its
/// <see cref="RoomCore"/> one by one, in order. After each step it frames each message once and fans it out
/// to the members' connections. Nothing here runs on a connection's read loop.
/// </summary>
public sealed class RoomActor : IThreadPoolWorkItem
{
    // Inputs handled per turn before the work item yields the thread to others (fairness between rooms).
    private const int InputsPerTurn = 256;

    // Moves and attacks that may wait in the mailbox for the next tick before they wake the room: a duel's
    // (one or two a tick) never do, an arena's thousand players' do every few milliseconds, so its tick does not
    // start with hundreds of moves to handle before anyone's update can be built.
    private const int MovesBeforeWake = 32;

    private readonly RoomCore _core;
    private readonly GameSession _session;
    private readonly RoomOutbox _outbox = new();
    private readonly ConcurrentQueue<Envelope> _mailbox = new();
    private readonly Queue<Envelope> _heldChats = new();
    private readonly Dictionary<long, GameClient> _clients = [];
    private readonly List<OutboundMessage?> _frames = [];
    private readonly ReplayFrames _replays;
    private readonly List<int> _recipients = [];
    private readonly List<long> _closed = [];
    private readonly int _inputLimit;
    private int _scheduled;
    private int _waitingMoves;

    // Claimed from outside (matchmaking, spectate) before the input is posted, released by the room's steps.
    private int _seatClaims;
    private int _spectatorClaims;
    private int _publishedSeats;
    private int _publishedSpectators;
    private long _inputsHandled;

    private readonly record struct Envelope(GameClient? Client, RoomInput Input, TaskCompletionSource<RoomSummary>? Query = null);

    internal RoomActor(string name, bool isPublic, GameOptions options, GameSession session)
    {
        _core = new RoomCore(name, isPublic, options);
        _session = session;
        _inputLimit = options.MaxPendingInputs;
        _replays = new ReplayFrames(options.ResumeHistory);
    }

    public string Name => _core.Name;

    public bool IsPublic => _core.IsPublic;

    /// <summary>Seats taken or promised to a join on its way, held seats included.</summary>
    public int SeatClaims => Volatile.Read(ref _seatClaims);

    public int SpectatorClaims => Volatile.Read(ref _spectatorClaims);

    /// <summary>Seats as of the room's last step.</summary>
    public int Seats => Volatile.Read(ref _publishedSeats);

    public int SpectatorCount => Volatile.Read(ref _publishedSpectators);

    /// <summary>Inputs the room has handled since it opened, its ticks included.</summary>
    public long InputsHandled => Volatile.Read(ref _inputsHandled);

    /// <summary>Takes a seat for a join about to be posted, if one is free. Called under the session's rooms lock.</summary>
    internal bool TryClaimSeat(int capacity)
    {
        if (_seatClaims >= capacity)
        {
            return false;
        }
        Interlocked.Increment(ref _seatClaims);
        return true;
    }

    internal void ClaimSpectator() => Interlocked.Increment(ref _spectatorClaims);

    internal bool IsEmpty => Volatile.Read(ref _seatClaims) == 0 && Volatile.Read(ref _spectatorClaims) == 0;

    /// <summary>Hands an input to the room; returns at once. <paramref name="client"/>: the sender, for the room's answers.</summary>
    internal void Post(GameClient? client, in RoomInput input)
    {
        _mailbox.Enqueue(new Envelope(client, input));
        if (input.Kind is not (RoomInputKind.Move or RoomInputKind.Attack) || Interlocked.Increment(ref _waitingMoves) >= MovesBeforeWake)
        {
            Schedule();
        }
        // A move or an attack does not wake the room (until MovesBeforeWake of them wait): what it changes goes out
        // with the next update anyway, and the room's next turn, its tick at the latest, handles it in order with
        // the rest of the mailbox. Waking a room per move cost a thread-pool hand-off per move (10,000 a second for
        // 1,000 bots) for nothing a client could see, except a correction, which now leaves at that next turn
        // (within one tick).
    }

    /// <summary>
    /// Hands the room its tick and, when no turn of the room is running or queued, runs that turn on the calling
    /// thread (the game loop's): the loop then steps its rooms one after another as a single work item would,
    /// instead of queuing one work item per room per tick (10,000 a second for 500 rooms at 20 Hz). A room whose
    /// turn is already queued or running gets the tick in its mailbox, as any input.
    /// </summary>
    internal void PostTick(in RoomInput tick)
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            Turn(ticking: true, tick);
        }
        else
        {
            _mailbox.Enqueue(new Envelope(null, tick));
        }
    }

    /// <summary>The room as it is, read by the room itself between two inputs.</summary>
    public Task<RoomSummary> QueryAsync()
    {
        var answer = new TaskCompletionSource<RoomSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        _mailbox.Enqueue(new Envelope(null, default, answer));
        Schedule();
        return answer.Task;
    }

    private void Schedule()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>One turn: up to <see cref="InputsPerTurn"/> inputs, then the thread goes back to the pool.</summary>
    void IThreadPoolWorkItem.Execute() => Turn(ticking: false, default);

    /// <summary>
    /// Up to <see cref="InputsPerTurn"/> inputs of the mailbox, then, when <paramref name="ticking"/>, the tick:
    /// straight away once the inputs posted before it are handled (not through the mailbox, which would cost an
    /// enqueue and a dequeue of it for each room 20 times a second), or behind the rest of them when there are more.
    /// </summary>
    private void Turn(bool ticking, in RoomInput tick)
    {
        // Whatever is in the mailbox now is handled by this turn: later moves count towards the next wake.
        Volatile.Write(ref _waitingMoves, 0);
        try
        {
            ReleaseHeldChats();
            for (var handled = 0; handled < InputsPerTurn && _mailbox.TryDequeue(out var envelope); handled++)
            {
                Handle(envelope);
            }
        }
        catch (Exception exception)
        {
            // A bug in one step must not stop the room for good: logged, and the next input is handled as usual.
            _session.RoomFailed(Name, exception);
        }
        try
        {
            if (ticking)
            {
                if (_mailbox.IsEmpty)
                {
                    Handle(new Envelope(null, tick));
                }
                else
                {
                    _mailbox.Enqueue(new Envelope(null, tick));
                }
            }
        }
        catch (Exception exception)
        {
            _session.RoomFailed(Name, exception);
        }
        finally
        {
            Volatile.Write(ref _scheduled, 0);
            if (!_mailbox.IsEmpty)
            {
                Schedule();
            }
        }
    }

    private void Handle(in Envelope envelope)
    {
        if (envelope.Query is { } query)
        {
            query.TrySetResult(RoomSummary.Of(_core, _clients));
            return;
        }
        var input = envelope.Input;
        if ((input.Kind == RoomInputKind.Chat && (_heldChats.Count > 0 || Congested()))
            || (input.Kind is RoomInputKind.Leave or RoomInputKind.Disconnect && envelope.Client is { HeldInputs: > 0 }))
        {
            // Someone in the room has not read what it was sent yet: the chat waits (and so, past its bound, does
            // the sender's connection) rather than overfilling that member's queue. A leave or a lost connection of
            // a sender whose chats wait, waits behind them: the room accepted those chats, and they go out in its
            // name before it goes.
            if (envelope.Client is { } sender)
            {
                sender.HeldInputs++;
            }
            _heldChats.Enqueue(envelope);
            return;
        }
        if (input.Kind == RoomInputKind.Tick)
        {
            MarkBehind();
            Step(envelope);
            ReleaseHeldChats();
            return;
        }
        Step(envelope);
    }

    private void Step(in Envelope envelope)
    {
        var client = envelope.Client;
        // Only some inputs can seat or unseat their sender; a move, the commonest input, skips that bookkeeping.
        var membership = envelope.Input.Kind is not (RoomInputKind.Move or RoomInputKind.Attack or RoomInputKind.Chat
            or RoomInputKind.Rematch or RoomInputKind.Invalid or RoomInputKind.Tick);
        if (client is not null && membership)
        {
            _clients[client.Key] = client; // for the answers of this step, even to a refused one
        }
        try
        {
            _core.Step(envelope.Input, _outbox);
            if (_outbox.Sends.Count > 0)
            {
                FanOut(); // most moves send nothing until the tick
            }
        }
        finally
        {
            // A move that asked for nothing (the commonest step) has nothing to settle either.
            if (membership || _closed.Count > 0 || !_outbox.IsEmpty)
            {
                Settle(client, envelope.Input, membership);
                _outbox.Clear();
            }
            Volatile.Write(ref _inputsHandled, _inputsHandled + 1);
            if (client is not null && envelope.Input.Kind != RoomInputKind.Disconnect)
            {
                client.InputHandled(_inputLimit);
            }
        }
    }

    /// <summary>Frames each message once and queues it to every recipient of this step, in order.</summary>
    private void FanOut()
    {
        var messages = _outbox.Messages;
        for (var i = 0; i < messages.Count; i++)
        {
            _frames.Add(null);
            _recipients.Add(0);
        }
        var sent = 0;
        try
        {
            foreach (var send in _outbox.Sends)
            {
                if (send.Kind == RoomSendKind.Deliver && _frames[send.Message] is null)
                {
                    // Framed once for all its recipients, and its bytes kept for a resume's replay, even when its
                    // only recipients are away: their streams go on, and the replay is what they will read.
                    var framed = _frames[send.Message] = RoomMessageWriter.Frame(messages[send.Message], sequenced: true);
                    _replays.Keep(send.History, framed.Payload);
                }
                if (ClientOf(send) is not { } client)
                {
                    continue; // an away seat: nothing to write to
                }
                switch (send.Kind)
                {
                    case RoomSendKind.Deliver:
                        if (client.Connection.TrySend(_frames[send.Message]!, send.Seq))
                        {
                            sent++;
                            _recipients[send.Message]++;
                            // Checked here, while the connection is at hand, not for every member before each tick.
                            if (send.Member is { Behind: false } member && IsBehind(client))
                            {
                                member.Behind = true;
                            }
                        }
                        break;
                    case RoomSendKind.Replay:
                        sent += Replay(client, send) ? 1 : 0;
                        break;
                    case RoomSendKind.Reply:
                        var whole = _frames[send.Message] ??= RoomMessageWriter.Frame(messages[send.Message], sequenced: false);
                        if (client.Connection.TrySend(whole))
                        {
                            sent++;
                            _recipients[send.Message]++;
                        }
                        break;
                    case RoomSendKind.Close:
                        client.Connection.Close((CloseCode)send.CloseCode, send.Reason ?? "");
                        _closed.Add(send.Connection);
                        break;
                }
            }
        }
        finally
        {
            foreach (var frame in _frames)
            {
                frame?.Release();
            }
            _frames.Clear();
        }
        if (sent > 0)
        {
            _session.Stats.MessagesSent(sent);
        }
        foreach (var recipients in _recipients)
        {
            if (recipients > 0)
            {
                _session.Stats.Broadcast(recipients);
            }
        }
        _recipients.Clear();
    }

    /// <summary>The client a send goes to: through the member's attachment when it still names that connection, else by key.</summary>
    private GameClient? ClientOf(in RoomSend send)
    {
        if (send.Connection == 0)
        {
            return null;
        }
        if (send.Member is { } member)
        {
            return ClientOf(member, send.Connection);
        }
        return _clients.GetValueOrDefault(send.Connection);
    }

    /// <summary>
    /// The client of <paramref name="member"/> on <paramref name="connection"/>, kept on the member so that the tick
    /// does not look each one up by key (a miss in memory per lookup, for every member of every room each tick).
    /// </summary>
    private GameClient? ClientOf(RoomMember member, long connection)
    {
        if (member.Attachment is GameClient attached && attached.Key == connection)
        {
            return attached;
        }
        var found = _clients.GetValueOrDefault(connection);
        member.Attachment = found;
        return found;
    }

    /// <summary>Sends a message of the room's history again, with the number it had in the member's stream.</summary>
    private bool Replay(GameClient client, in RoomSend send)
    {
        if (!_replays.TryGet(send.History, out var payload))
        {
            // The room promised what its history holds, and the bytes are kept for as many: a bug if reached.
            throw new InvalidOperationException($"Message {send.History} of room {Name} is not kept for a replay.");
        }
        var body = OutboundMessage.Create(Opcode.Continuation, payload);
        var queued = client.Connection.TrySend(body, send.Seq);
        body.Release();
        return queued;
    }

    /// <summary>After a step: who is still a member here, what the claims and the published counts are.</summary>
    private void Settle(GameClient? client, in RoomInput input, bool membership)
    {
        if (client is not null && membership)
        {
            Forget(client.Key, client);
        }
        foreach (var connection in _closed)
        {
            Forget(connection, null);
        }
        _closed.Clear();
        if (_outbox.RoundsStarted > 0 || _outbox.KnockOuts > 0 || _outbox.Errors > 0)
        {
            _session.Stats.Counted(_outbox.RoundsStarted, _outbox.KnockOuts, _outbox.Errors);
        }
        if (_outbox.Matches.Count > 0)
        {
            _session.MatchesEnded(_outbox.Matches);
        }
        if (_outbox.SeatsReleased > 0)
        {
            Interlocked.Add(ref _seatClaims, -_outbox.SeatsReleased);
        }
        if (_outbox.SpectatorsReleased > 0)
        {
            Interlocked.Add(ref _spectatorClaims, -_outbox.SpectatorsReleased);
        }
        Volatile.Write(ref _publishedSeats, _core.Seats.Count);
        Volatile.Write(ref _publishedSpectators, _core.Spectators.Count);
        if (membership || _outbox.ReleasedSeats.Count > 0)
        {
            _session.SeatsChanged(this, _core, _outbox, input);
        }
        if (_outbox.SeatsReleased > 0 || _outbox.SpectatorsReleased > 0)
        {
            _session.RoomMayBeEmpty(this);
        }
    }

    private void Forget(long connection, GameClient? known)
    {
        if (!_clients.TryGetValue(connection, out var client))
        {
            client = known;
        }
        if (client is null)
        {
            return;
        }
        if (_core.MemberOf(connection) is { } member)
        {
            client.PlayerId = member.IsSpectator ? null : member.Id;
            client.Room = this;
            return;
        }
        _clients.Remove(connection);
        if (client.Room == this)
        {
            client.Room = null;
            client.PlayerId = null;
        }
    }

    /// <summary>
    /// Members whose connection has more than half its queue waiting skip updates until they catch up. A member
    /// is marked behind by the send that filled its queue that far (see <see cref="FanOut"/>); here, before each
    /// tick, only the members marked so are looked at again, to see whether they caught up: the others'
    /// connections are not touched twice a tick.
    /// </summary>
    private void MarkBehind()
    {
        // Index loops: a foreach through IReadOnlyList boxes an enumerator, and this runs every tick.
        var seats = _core.Seats;
        for (var i = 0; i < seats.Count; i++)
        {
            if (seats[i].Behind)
            {
                seats[i].Behind = IsBehind(seats[i]);
            }
        }
        var spectators = _core.Spectators;
        for (var i = 0; i < spectators.Count; i++)
        {
            if (spectators[i].Behind)
            {
                spectators[i].Behind = IsBehind(spectators[i]);
            }
        }
    }

    // Only an open connection can be behind: one that closed never drains, and its own leaving may be waiting
    // behind the chats that wait for it.
    private bool IsBehind(RoomMember member) =>
        member.Connected && ClientOf(member, member.Connection) is { } client && IsBehind(client);

    private static bool IsBehind(GameClient client) =>
        client.Connection.QueuedMessages > client.Connection.SendQueueLimit / 2 && client.Connection.State == ConnectionState.Open;

    private bool Congested()
    {
        var seats = _core.Seats;
        for (var i = 0; i < seats.Count; i++)
        {
            if (IsBehind(seats[i]))
            {
                return true;
            }
        }
        var spectators = _core.Spectators;
        for (var i = 0; i < spectators.Count; i++)
        {
            if (IsBehind(spectators[i]))
            {
                return true;
            }
        }
        return false;
    }

    private void ReleaseHeldChats()
    {
        while (_heldChats.Count > 0 && !Congested())
        {
            var held = _heldChats.Dequeue();
            if (held.Client is { } sender)
            {
                sender.HeldInputs--;
            }
            Step(held);
        }
    }
}
