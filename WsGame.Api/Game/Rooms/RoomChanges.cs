namespace WsGame.Api.Game.Rooms;

/// <summary>
/// What changed in a room since the last tick, found by comparing each player's motion now with what the
/// members were last told (the previous state), plus the events of the tick: who joined, who left, who attacked.
/// Builds the tick's <see cref="UpdateMessage"/>s from that difference.
/// </summary>
internal sealed class RoomChanges
{
    // What each seat was last told and what happened to it this tick, by the player's slot: a slot belongs to one
    // player at a time, and an array read per player per tick costs less than hashing its id (this runs for
    // every player of every room 20 times a second).
    private SlotState[] _slots = new SlotState[2];
    private readonly List<PlayerState> _joined = [];
    private readonly List<string> _left = [];
    private readonly List<AttackEntry> _attacks = [];
    private readonly List<PlayerState> _changed = [];
    private readonly List<List<MotionEntry>> _lists = [];
    private int _listsInUse;

    private readonly record struct Motion(int Left, int Top, Direction Direction, PlayerStatus Status, int Energy, bool Away)
    {
        public static Motion Of(PlayerState player) => new(player.Left, player.Top, player.Direction, player.Status, player.Energy, player.Away);
    }

    private struct SlotState
    {
        public Motion LastSent;
        public bool Known; // LastSent holds what this slot's player was told
        public bool Joined;
        public bool Changed;
        public bool Returned;
    }

    public IReadOnlyList<PlayerState> Changed => _changed;

    public bool Any => _changed.Count > 0 || _joined.Count > 0 || _left.Count > 0 || _attacks.Count > 0;

    public void Joined(PlayerState player)
    {
        _joined.Add(player);
        Slot(player).Joined = true;
    }

    public void Left(PlayerState player)
    {
        ref var slot = ref Slot(player);
        if (slot.Joined)
        {
            _joined.Remove(player);
        }
        // Even a player who came and went within one tick is listed: a welcome in between may have shown it.
        _left.Add(player.Id);
        // The slot is free for the next player: nothing of this one's may show through.
        slot = default;
    }

    public void Attacked(PlayerState attacker, Direction direction, IReadOnlyList<Hit> hits) =>
        _attacks.Add(new AttackEntry(attacker.Id, direction, hits));

    /// <summary>A round started: everyone was reset and told so in the round message, which is now what they know.</summary>
    public void RoundStarted(IReadOnlyList<PlayerState> players)
    {
        foreach (var player in players)
        {
            ref var slot = ref Slot(player);
            slot.LastSent = Motion.Of(player);
            slot.Known = true;
        }
    }

    /// <summary>Lists the players whose motion differs from what was last sent (newcomers are listed whole, under joined).</summary>
    public void Collect(IReadOnlyList<PlayerState> players)
    {
        for (var i = 0; i < players.Count; i++)
        {
            var player = players[i];
            ref var slot = ref Slot(player);
            var now = Motion.Of(player);
            var before = slot.LastSent;
            var known = slot.Known;
            slot.LastSent = now;
            slot.Known = true;
            if (slot.Joined || (known && before == now))
            {
                continue;
            }
            _changed.Add(player);
            slot.Changed = true;
            slot.Returned = known && before.Away && !now.Away;
        }
    }

    public bool WasJoined(PlayerState player) => Slot(player).Joined;

    public bool WasChanged(PlayerState player) => Slot(player).Changed;

    private ref SlotState Slot(PlayerState player)
    {
        if (player.Slot >= _slots.Length)
        {
            Array.Resize(ref _slots, Math.Max(player.Slot + 1, _slots.Length * 2));
        }
        return ref _slots[player.Slot];
    }

    /// <summary>
    /// The update listing <paramref name="candidates"/> that changed (or all of them but newcomers, when
    /// <paramref name="everyone"/>), with the attacks <paramref name="attackSeen"/> lets through; null when it
    /// would say nothing.
    /// </summary>
    public UpdateMessage? Build(long tick, IReadOnlyList<PlayerState> candidates, bool everyone, Func<string, bool>? attackSeen = null)
    {
        List<MotionEntry>? listed = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            var player = candidates[i];
            ref var slot = ref Slot(player);
            if (everyone ? slot.Joined : !slot.Changed)
            {
                continue;
            }
            (listed ??= RentList()).Add(new MotionEntry(player.Id, player.Left, player.Top, player.Direction, player.Status, player.Energy,
                Connected: !player.Away, Returned: slot.Changed && slot.Returned));
        }
        List<AttackEntry>? attacks = null;
        foreach (var attack in _attacks)
        {
            if (attackSeen is null || attackSeen(attack.Id))
            {
                (attacks ??= []).Add(attack);
            }
        }
        if (listed is null && attacks is null && _joined.Count == 0 && _left.Count == 0)
        {
            return null;
        }
        return new UpdateMessage(
            tick,
            (IReadOnlyList<MotionEntry>?)listed ?? [],
            _joined.Count == 0 ? [] : [.. _joined.Select(player => player.Snapshot())],
            _left.Count == 0 ? [] : [.. _left],
            (IReadOnlyList<AttackEntry>?)attacks ?? []);
    }

    /// <summary>
    /// A list for one update's players, from the room's own pool: an update lives until its step's fan-out (the
    /// history keeps its bytes, not the object), so the lists are taken back at the next tick, not allocated anew.
    /// </summary>
    private List<MotionEntry> RentList()
    {
        if (_listsInUse == _lists.Count)
        {
            _lists.Add([]);
        }
        var list = _lists[_listsInUse++];
        list.Clear();
        return list;
    }

    /// <summary>The tick's updates have been sent: their lists may be used again.</summary>
    public void Recycle() => _listsInUse = 0;

    public void Clear()
    {
        foreach (var player in _changed)
        {
            ref var slot = ref Slot(player);
            slot.Changed = false;
            slot.Returned = false;
        }
        foreach (var player in _joined)
        {
            Slot(player).Joined = false;
        }
        _changed.Clear();
        _joined.Clear();
        _left.Clear();
        _attacks.Clear();
    }
}
