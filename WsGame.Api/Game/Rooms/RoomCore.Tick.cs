namespace WsGame.Api.Game.Rooms;

/// <summary>The room's tick: held seats that ran out of grace, then one update with what changed since the last tick.</summary>
public sealed partial class RoomCore
{
    private readonly List<RoomMember> _expired = [];
    private readonly Dictionary<long, (UpdateMessage? Update, long Index, int Slot)> _cellUpdates = [];
    private readonly List<PlayerState> _around = [];

    private void Tick(in RoomInput input)
    {
        _tick = input.Number;
        _changes.Recycle(); // the last tick's updates went out in its own fan-out: their lists are free again
        ExpireHeldSeats(input.At);
        _changes.Collect(_rules.Players);
        try
        {
            if (_changes.Any && (_seats.Count > 0 || _spectators.Count > 0))
            {
                if (_view is null)
                {
                    SendToEveryone();
                }
                else
                {
                    SendByView(_view);
                }
            }
        }
        finally
        {
            _changes.Clear();
            _cellUpdates.Clear();
        }
        foreach (var (end, match) in _roundEnds)
        {
            if (end.Reason == RoundEndReason.KnockOut)
            {
                _out.KnockOuts++;
            }
            Broadcast(new KnockOutMessage(end, match));
        }
        _roundEnds.Clear();
    }

    /// <summary>A player away longer than the grace leaves; an opponent in a running duel wins by forfeit.</summary>
    private void ExpireHeldSeats(TimeSpan now)
    {
        foreach (var seat in _seats)
        {
            if (seat.AwaySince is { } since && now - since >= Options.ReconnectGrace)
            {
                _expired.Add(seat);
            }
        }
        foreach (var seat in _expired)
        {
            RemoveMember(seat, forfeit: true);
        }
        _expired.Clear();
    }

    private void SendToEveryone()
    {
        var update = _changes.Build(_tick, _changes.Changed, everyone: false);
        if (update is null)
        {
            return;
        }
        var index = _history.Add();
        var slot = _out.Add(update);
        SnapshotMessage? snapshot = null;
        DeliverUpdate(_seats, index, slot, ref snapshot);
        DeliverUpdate(_spectators, index, slot, ref snapshot);
    }

    private void DeliverUpdate(List<RoomMember> members, long index, int slot, ref SnapshotMessage? snapshot)
    {
        foreach (var member in members)
        {
            if (CaughtUp(member, ref snapshot))
            {
                _out.Sends.Add(new RoomSend(RoomSendKind.Deliver, slot, member, member.Assign(index), member.Connection, History: index));
            }
        }
    }

    /// <summary>
    /// Each player is told about the players in its cell of the view grid and the eight cells around it: those
    /// that changed, in an update made once per cell; or all of them, in an update of its own, when it has just
    /// come to that cell. Spectators have no place in the arena: they get the update of the whole room.
    /// </summary>
    private void SendByView(PlayerGrid view)
    {
        view.Clear();
        var players = _rules.Players;
        for (var i = 0; i < players.Count; i++)
        {
            view.Place(players[i]);
        }
        SnapshotMessage? snapshot = null;
        foreach (var seat in _seats)
        {
            if (!CaughtUp(seat, ref snapshot))
            {
                continue;
            }
            var cell = view.CellOf(seat.Player!);
            _around.Clear();
            view.CollectAround(cell, _around);
            if (seat.ViewCell == cell)
            {
                if (!_cellUpdates.TryGetValue(cell, out var shared))
                {
                    var built = _changes.Build(_tick, _around, everyone: false, attacker => SeenFrom(view, attacker, cell));
                    shared = built is null ? (null, 0, 0) : (built, _history.Add(), _out.Add(built));
                    _cellUpdates[cell] = shared;
                }
                if (shared.Update is not null)
                {
                    _out.Sends.Add(new RoomSend(RoomSendKind.Deliver, shared.Slot, seat, seat.Assign(shared.Index), seat.Connection, History: shared.Index));
                }
                continue;
            }
            seat.ViewCell = cell;
            if (_changes.Build(_tick, _around, everyone: true, attacker => SeenFrom(view, attacker, cell)) is { } personal)
            {
                Deliver(seat, personal);
            }
        }
        if (_spectators.Count > 0 && _changes.Build(_tick, _changes.Changed, everyone: false) is { } whole)
        {
            DeliverUpdate(_spectators, _history.Add(), _out.Add(whole), ref snapshot);
        }
    }

    private bool SeenFrom(PlayerGrid view, string attackerId, long cell) =>
        _rules.Find(attackerId) is { } attacker && PlayerGrid.AreNeighbours(view.CellOf(attacker), cell);

    /// <summary>
    /// False when the member gets no update this tick: it is behind (it will need a snapshot), or it has just
    /// caught up and got the snapshot of the whole room instead. A held seat's stream goes on as if connected.
    /// </summary>
    private bool CaughtUp(RoomMember member, ref SnapshotMessage? snapshot)
    {
        if (member.Behind)
        {
            member.NeedsSnapshot = true;
            return false;
        }
        if (!member.NeedsSnapshot)
        {
            return true;
        }
        snapshot ??= new SnapshotMessage(_tick, _rules.Round, Players());
        Deliver(member, snapshot);
        member.NeedsSnapshot = false;
        member.ViewCell = null; // told everything; with a view, its next update starts from its neighbourhood again
        return false;
    }
}
