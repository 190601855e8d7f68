using System.Security.Cryptography;
using System.Text;

namespace WsGame.Api.Game.Rooms;

/// <summary>
/// One room's whole state and its step: <c>Step(input)</c> changes the state and writes into a
/// <see cref="RoomOutbox"/> what is to be sent, numbered per member. No sockets, no clocks (time comes in
/// with each input), no random numbers (tokens come in with the inputs), no locks: its owner hands it one
/// input at a time, so the same inputs always give the same outbox.
/// </summary>
/// <remarks>
/// Streams: everything a member is sent after its welcome is numbered (<c>seq</c>) in that member's own stream,
/// and numbered in the room's bounded <see cref="RoomHistory"/> (whose bytes the host keeps). A held seat's stream goes on while its player is away, so a
/// resume replays exactly the messages after the last one the client saw, or sends a snapshot when those are no
/// longer kept. The welcome itself is outside the stream.
/// </remarks>
public sealed partial class RoomCore
{
    /// <summary>Application close code: a resume took this connection's seat (docs/protocol.md).</summary>
    public const int SeatTakenOver = 4001;

    /// <summary>Application close code: an operator removed the player.</summary>
    public const int RemovedByOperator = 4002;

    private readonly RoomRules _rules;
    private readonly RoomHistory _history;
    private readonly RoomChanges _changes = new();
    private readonly List<RoomMember> _seats = [];
    private readonly List<RoomMember> _spectators = [];
    private readonly Dictionary<long, RoomMember> _byConnection = [];
    private readonly Dictionary<string, RoomMember> _seatById = [];
    private readonly PlayerGrid? _view;
    private RoomOutbox _out = null!;
    private long _spectatorCount;
    private long _tick;
    private TimeSpan _now;

    public RoomCore(string name, bool isPublic, GameOptions options)
    {
        Name = name;
        IsPublic = isPublic;
        _rules = new RoomRules(options);
        _history = new RoomHistory(options.ResumeHistory);
        _view = options.ViewDistance > 0 ? new PlayerGrid(options.ViewDistance) : null;
    }

    public string Name { get; }

    /// <summary>Made by matchmaking (open to anyone without a room name), as opposed to named by a player.</summary>
    public bool IsPublic { get; }

    public GameOptions Options => _rules.Options;

    public RoomRules Rules => _rules;

    /// <summary>Players' seats, connected or held, in the order they sat down.</summary>
    public IReadOnlyList<RoomMember> Seats => _seats;

    public IReadOnlyList<RoomMember> Spectators => _spectators;

    /// <summary>The member whose messages go to this connection, if any.</summary>
    public RoomMember? MemberOf(long connection) => _byConnection.GetValueOrDefault(connection);

    /// <summary>Handles one input; what is to be sent is added to <paramref name="outbox"/> (which the caller clears).</summary>
    public void Step(in RoomInput input, RoomOutbox outbox)
    {
        _out = outbox;
        _now = input.At;
        switch (input.Kind)
        {
            case RoomInputKind.Join: Join(input); break;
            case RoomInputKind.Resume: Resume(input); break;
            case RoomInputKind.Spectate: Spectate(input); break;
            case RoomInputKind.Move: Move(input); break;
            case RoomInputKind.Attack: Attack(input); break;
            case RoomInputKind.Chat: Chat(input); break;
            case RoomInputKind.Rematch: Rematch(input); break;
            case RoomInputKind.Leave: Leave(input); break;
            case RoomInputKind.Disconnect: Disconnect(input); break;
            case RoomInputKind.Invalid: Invalid(input); break;
            case RoomInputKind.Remove: Remove(input); break;
            case RoomInputKind.Announce: Broadcast(new StatusMessage($"[server] {input.Text}", "server")); break;
            case RoomInputKind.Tick: Tick(input); break;
        }
        _out = null!;
    }

    private void Join(in RoomInput input)
    {
        var result = _rules.Join(input.PlayerId!, input.Text ?? "", input.Sprite!);
        if (!result.Accepted)
        {
            _out.SeatsReleased++;
            _out.Errors++;
            Reply(input.Connection, result.Refusal == JoinRefusal.RoomFull
                ? new ErrorMessage(RoomTexts.RoomFull, Code: -1)
                : new ErrorMessage(RoomTexts.InvalidName(Options), "name"));
            return;
        }
        var player = result.Player!;
        var seat = new RoomMember(player.Id, player.Name, spectator: false, input.Connection, Options.ResumeHistory)
        {
            Token = input.NextToken,
            Player = player,
            Profile = input.Profile,
        };
        _seats.Add(seat);
        _seatById[seat.Id] = seat;
        _byConnection[input.Connection] = seat;
        _changes.Joined(player);
        Reply(input.Connection, Welcome(seat, player, resumed: false));
        // The seed chat room's announcement, to everyone including the newcomer.
        Broadcast(new StatusMessage($"{player.Name} joined the chat.", player.Id));
        if (result.RoundStarted)
        {
            RoundStarted();
        }
    }

    private void Resume(in RoomInput input)
    {
        var seat = FindByToken(input.Token);
        if (seat is null)
        {
            _out.Errors++;
            Reply(input.Connection, new ErrorMessage(RoomTexts.CannotResume, "token"));
            return;
        }
        if (seat.Connection != 0 && seat.Connection != input.Connection)
        {
            // A half-open connection still holds the seat: the resume wins, the old one is told why it is closed.
            _byConnection.Remove(seat.Connection);
            _out.Sends.Add(new RoomSend(RoomSendKind.Close, -1, null, 0, seat.Connection, SeatTakenOver, "seat taken over"));
        }
        seat.Connection = input.Connection;
        seat.Token = input.NextToken;
        _byConnection[input.Connection] = seat;
        var player = seat.Player!;
        var wasAway = seat.AwaySince is not null;
        if (wasAway)
        {
            // Back before the welcome is written, so the welcome shows the resumer as it now is.
            seat.AwaySince = null;
            _rules.SetAway(seat.Id, away: false);
        }
        Reply(input.Connection, Welcome(seat, player, resumed: true));
        CatchUp(seat, input.Number);
        if (wasAway)
        {
            // After the replay, so the room's "is back" comes after the "lost connection" it answers.
            Broadcast(new StatusMessage($"{seat.Name} is back.", seat.Id));
        }
    }

    /// <summary>Sends a member what its stream holds after <paramref name="lastSeen"/>, or a snapshot when that is no longer kept.</summary>
    private void CatchUp(RoomMember member, long lastSeen)
    {
        if (lastSeen == member.LastSeq)
        {
            return;
        }
        var replayable = lastSeen >= 0 && lastSeen < member.LastSeq;
        for (var seq = lastSeen + 1; replayable && seq <= member.LastSeq; seq++)
        {
            replayable = member.TryGetHistoryIndex(seq, out var index) && _history.Holds(index);
        }
        if (!replayable)
        {
            Deliver(member, new SnapshotMessage(_tick, _rules.Round, Players()));
            return;
        }
        for (var seq = lastSeen + 1; seq <= member.LastSeq; seq++)
        {
            member.TryGetHistoryIndex(seq, out var index);
            _out.Sends.Add(new RoomSend(RoomSendKind.Replay, -1, member, seq, member.Connection, History: index));
        }
    }

    private void Spectate(in RoomInput input)
    {
        if (_spectators.Count >= Options.MaxSpectators)
        {
            _out.SpectatorsReleased++;
            _out.Errors++;
            Reply(input.Connection, new ErrorMessage(RoomTexts.TooManySpectators(Options.MaxSpectators)));
            return;
        }
        var id = $"s{++_spectatorCount}";
        var spectator = new RoomMember(id, string.IsNullOrWhiteSpace(input.Text) ? "Spectator" : input.Text, spectator: true, input.Connection, Options.ResumeHistory);
        _spectators.Add(spectator);
        _byConnection[input.Connection] = spectator;
        Reply(input.Connection, Welcome(spectator, you: null, resumed: false));
    }

    private void Move(in RoomInput input)
    {
        if (Player(input.Connection, out var seat) is not { } player)
        {
            return;
        }
        var result = _rules.Move(player, input.Left, input.Top, input.Direction, input.Status, input.At);
        if (result.Corrected)
        {
            // The server is the authority: tell the mover where it really is, in this very step.
            Deliver(seat!, new CorrectionMessage(player.Id, player.Left, player.Top));
        }
    }

    private void Attack(in RoomInput input)
    {
        if (Player(input.Connection, out var seat) is not { } player)
        {
            return;
        }
        var result = _rules.Attack(player.Id, input.At);
        if (!result.Accepted)
        {
            return; // inside the cooldown, knocked out, or no round: ignored, as a held key should be
        }
        seat!.HitsDealt += result.Hits.Count;
        _changes.Attacked(player, player.Direction, result.Hits);
        if (result.RoundEnded is not null)
        {
            EndRound(result.RoundEnded, leaver: null);
        }
    }

    private void Chat(in RoomInput input)
    {
        if (!_byConnection.TryGetValue(input.Connection, out var member))
        {
            return;
        }
        Broadcast(new ChatMessage(member.Name, member.Id, input.Text ?? "", member.IsSpectator));
    }

    private void Rematch(in RoomInput input)
    {
        if (Player(input.Connection, out var seat) is not { } player)
        {
            return;
        }
        var result = _rules.Rematch(player.Id);
        if (result.Refusal == RematchRefusal.RoundNotOver)
        {
            _out.Errors++;
            Deliver(seat!, new ErrorMessage(RoomTexts.NoRematchYet));
        }
        if (result.RoundStarted)
        {
            RoundStarted();
        }
    }

    private void Leave(in RoomInput input)
    {
        if (!_byConnection.TryGetValue(input.Connection, out var member))
        {
            return;
        }
        Deliver(member, LeftMessage.Instance);
        _out.Sends.Add(new RoomSend(RoomSendKind.Close, -1, null, 0, input.Connection, 1000, "left"));
        RemoveMember(member, forfeit: false);
    }

    private void Disconnect(in RoomInput input)
    {
        if (!_byConnection.TryGetValue(input.Connection, out var member))
        {
            return; // not a member, or a connection whose seat a resume already took over
        }
        if (member.IsSpectator || input.Consented)
        {
            RemoveMember(member, forfeit: false);
            return;
        }
        _byConnection.Remove(input.Connection);
        member.Connection = 0;
        member.Behind = false;
        member.AwaySince = input.At;
        _rules.SetAway(member.Id, away: true);
        Broadcast(new StatusMessage($"{member.Name} lost connection.", member.Id));
    }

    private void Invalid(in RoomInput input)
    {
        if (_byConnection.TryGetValue(input.Connection, out var member))
        {
            _out.Errors++;
            Deliver(member, new ErrorMessage(input.Text ?? "", input.Sprite));
        }
        else
        {
            _out.Errors++;
            Reply(input.Connection, new ErrorMessage(input.Text ?? "", input.Sprite));
        }
    }

    private void Remove(in RoomInput input)
    {
        if (input.PlayerId is null || !_seatById.TryGetValue(input.PlayerId, out var seat))
        {
            return;
        }
        if (seat.Connected)
        {
            _out.Sends.Add(new RoomSend(RoomSendKind.Close, -1, null, 0, seat.Connection, RemovedByOperator, "removed by an operator"));
        }
        RemoveMember(seat, forfeit: false);
    }

    /// <summary>Takes a member out: a spectator simply goes; a player's seat is given up and the room hears of it.</summary>
    private void RemoveMember(RoomMember member, bool forfeit)
    {
        if (member.Connected)
        {
            _byConnection.Remove(member.Connection);
        }
        member.Connection = 0;
        if (member.IsSpectator)
        {
            _spectators.Remove(member);
            _out.SpectatorsReleased++;
            return;
        }
        _seats.Remove(member);
        _seatById.Remove(member.Id);
        _out.SeatsReleased++;
        _out.ReleasedSeats.Add(member.Id);
        var player = _rules.Find(member.Id)!;
        var result = _rules.Leave(member.Id, forfeit);
        _changes.Left(player);
        Broadcast(new StatusMessage($"{member.Name} left the chat.", member.Id));
        if (result.RoundEnded is not null)
        {
            EndRound(result.RoundEnded, leaver: (member, player));
        }
        if (result.RoundStarted)
        {
            RoundStarted();
        }
    }

    private void RoundStarted()
    {
        _roundStartedAt = _now;
        foreach (var seat in _seats)
        {
            seat.HitsDealt = 0;
        }
        _out.RoundsStarted++;
        _changes.RoundStarted(_rules.Players);
        Broadcast(new RoundMessage(_rules.Round, Players()));
    }

    /// <summary>The player of a connected seat; null (and nothing done) for a spectator, who is told it cannot play.</summary>
    private PlayerState? Player(long connection, out RoomMember? seat)
    {
        if (!_byConnection.TryGetValue(connection, out seat))
        {
            return null;
        }
        if (seat.IsSpectator)
        {
            _out.Errors++;
            Deliver(seat, new ErrorMessage(RoomTexts.SpectatorsCannotPlay));
            return null;
        }
        return seat.Player;
    }

    private RoomMember? FindByToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var presented = Encoding.UTF8.GetBytes(token);
        foreach (var seat in _seats)
        {
            // Compared in constant time, so the time an answer takes says nothing about a token.
            if (seat.Token is { } held && CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(held)))
            {
                return seat;
            }
        }
        return null;
    }

    private WelcomeMessage Welcome(RoomMember member, PlayerState? you, bool resumed) =>
        new(member.Id, Name, you?.Snapshot(), Players(), _rules.Round, _rules.Phase, member.Token, resumed, member.IsSpectator, Options, member.Profile);

    private void Reply(long connection, RoomMessage message) =>
        _out.Sends.Add(new RoomSend(RoomSendKind.Reply, _out.Add(message), null, 0, connection));

    /// <summary>Puts a message in one member's stream.</summary>
    private void Deliver(RoomMember member, RoomMessage message)
    {
        var index = _history.Add();
        var seq = member.Assign(index);
        _out.Sends.Add(new RoomSend(RoomSendKind.Deliver, _out.Add(message), member, seq, member.Connection, History: index));
    }

    /// <summary>Puts a message in every member's stream, players and spectators: one message, many numbers.</summary>
    private void Broadcast(RoomMessage message)
    {
        var index = _history.Add();
        var slot = _out.Add(message);
        foreach (var seat in _seats)
        {
            _out.Sends.Add(new RoomSend(RoomSendKind.Deliver, slot, seat, seat.Assign(index), seat.Connection, History: index));
        }
        foreach (var spectator in _spectators)
        {
            _out.Sends.Add(new RoomSend(RoomSendKind.Deliver, slot, spectator, spectator.Assign(index), spectator.Connection, History: index));
        }
    }

    /// <summary>Every player as clients see it, with the grace left on each held seat (at this step's time).</summary>
    private IReadOnlyList<PlayerSnapshot> Players()
    {
        var players = _rules.Snapshot();
        if (players.All(player => player.Connected))
        {
            return players;
        }
        return [.. players.Select(player => player.Connected || _seatById.GetValueOrDefault(player.Id)?.AwaySince is not { } since
            ? player
            : player with { GraceLeftMs = (int)Math.Max(0, (Options.ReconnectGrace - (_now - since)).TotalMilliseconds) })];
    }
}
