using WsGame.Api.Game.Wire;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Game.Session;

/// <summary>
/// One room: its rules (pure, <see cref="RoomRules"/>), its connected members, and what changed
/// since the last tick. Every method takes the room's lock, so inputs from many connections and
/// the tick never see the room half-changed; rooms never wait on each other.
/// </summary>
public sealed class Room
{
    private readonly object _gate = new();
    private readonly RoomRules _rules;
    private readonly GameStats _stats;
    private readonly List<GameClient> _members = [];

    // What the clients were last told, to compute the next update as a difference.
    private readonly Dictionary<string, Motion> _lastSent = [];
    private readonly List<PlayerState> _joined = [];
    private readonly HashSet<PlayerState> _joinedSet = [];
    private readonly List<string> _left = [];
    private readonly List<(PlayerState Attacker, Direction Direction, IReadOnlyList<Hit> Hits)> _attacks = [];
    private readonly List<PlayerState> _changed = [];
    private readonly HashSet<PlayerState> _changedSet = [];

    // With a view distance: where everyone stands this tick, in cells of that distance, and each cell's
    // update (null: nothing to say there), framed once for every member in that cell.
    private readonly PlayerGrid? _view;
    private readonly Dictionary<long, OutboundMessage?> _cellUpdates = [];
    private readonly List<PlayerState> _around = [];
    private readonly List<RoundEnd> _roundEnds = [];
    private int _playerCount;

    internal Room(string name, bool isPublic, GameOptions options, GameStats stats)
    {
        Name = name;
        IsPublic = isPublic;
        _rules = new RoomRules(options);
        _stats = stats;
        _view = options.ViewDistance > 0 ? new PlayerGrid(options.ViewDistance) : null;
    }

    public string Name { get; }

    /// <summary>Made by matchmaking (open to anyone without a room name), as opposed to named by a player.</summary>
    public bool IsPublic { get; }

    public int PlayerCount => Volatile.Read(ref _playerCount);

    /// <summary>Copies of the players' states, for the API.</summary>
    public IReadOnlyList<PlayerSnapshot> Snapshot()
    {
        lock (_gate)
        {
            return _rules.Snapshot();
        }
    }

    private readonly record struct Motion(int Left, int Top, Direction Direction, PlayerStatus Status, int Energy)
    {
        public static Motion Of(PlayerState player) => new(player.Left, player.Top, player.Direction, player.Status, player.Energy);
    }

    internal JoinRefusal Join(GameClient client, string id, string name, string sprite)
    {
        lock (_gate)
        {
            var result = _rules.Join(id, name, sprite);
            if (!result.Accepted)
            {
                return result.Refusal;
            }
            var player = result.Player!;
            client.Player = player;
            client.Room = this;
            client.NeedsSnapshot = false; // the welcome carries the whole room
            client.ViewCell = null;
            _members.Add(client);
            _joined.Add(player);
            _joinedSet.Add(player);
            _playerCount = _members.Count;
            client.Send(ServerMessages.Welcome(player, Name, _rules.Options, _rules.Players, _rules.Round));
            // The seed chat room's announcement, to everyone including the newcomer.
            Broadcast(ServerMessages.Status($"{player.Name} joined the chat.", player.Id));
            if (result.RoundStarted)
            {
                StartRound();
            }
            return JoinRefusal.None;
        }
    }

    /// <summary>Removes the client's player; returns the number of players left.</summary>
    internal int Leave(GameClient client)
    {
        lock (_gate)
        {
            var player = client.Player;
            if (player is null || !_members.Remove(client))
            {
                return _members.Count;
            }
            client.Player = null;
            client.Room = null;
            _playerCount = _members.Count;
            var result = _rules.Leave(player.Id);
            _joined.Remove(player);
            _joinedSet.Remove(player);
            _lastSent.Remove(player.Id);
            _left.Add(player.Id);
            Broadcast(ServerMessages.Status($"{player.Name} left the chat.", player.Id));
            if (result.RoundEnded is not null)
            {
                _roundEnds.Add(result.RoundEnded);
            }
            if (result.RoundStarted)
            {
                StartRound();
            }
            return _members.Count;
        }
    }

    internal void Move(GameClient client, in ClientMessage move, TimeSpan now)
    {
        lock (_gate)
        {
            var player = client.Player;
            if (player is null)
            {
                return;
            }
            var result = _rules.Move(player.Id, move.Left, move.Top, move.Direction, move.Status, now);
            if (result.Corrected)
            {
                // The server is the authority: tell the mover where it really is, at once.
                client.Send(ServerMessages.Correction(player));
            }
        }
    }

    internal void Attack(GameClient client, TimeSpan now)
    {
        lock (_gate)
        {
            var player = client.Player;
            if (player is null)
            {
                return;
            }
            var result = _rules.Attack(player.Id, now);
            if (!result.Accepted)
            {
                return; // inside the cooldown, knocked out, or no round: ignored, as a held key should be
            }
            _attacks.Add((player, player.Direction, result.Hits));
            if (result.RoundEnded is not null)
            {
                _roundEnds.Add(result.RoundEnded);
            }
        }
    }

    internal void Chat(GameClient client, string message)
    {
        lock (_gate)
        {
            if (client.Player is { } player)
            {
                Broadcast(ServerMessages.Chat(player, message));
            }
        }
    }

    /// <summary>
    /// An operator's announcement: a <c>status</c> message from <c>"server"</c> to every member,
    /// under the room's lock so it is ordered with the room's own messages. Returns the recipients.
    /// </summary>
    internal int Announce(string message)
    {
        lock (_gate)
        {
            if (_members.Count == 0)
            {
                return 0;
            }
            Broadcast(ServerMessages.Status($"[server] {message}", "server"));
            return _members.Count;
        }
    }

    internal RematchRefusal Rematch(GameClient client)
    {
        lock (_gate)
        {
            if (client.Player is not { } player)
            {
                return RematchRefusal.UnknownPlayer;
            }
            var result = _rules.Rematch(player.Id);
            if (result.RoundStarted)
            {
                StartRound();
            }
            return result.Refusal;
        }
    }

    /// <summary>
    /// The tick: one update with what changed since the last one, queued to every member; nothing when
    /// nothing changed. Without a view distance the update is framed once for the whole room; with one,
    /// once per cell of the view grid for everyone in that cell (see <see cref="GameOptions.ViewDistance"/>).
    /// A member whose queue is more than half full skips updates and gets a snapshot once it has caught up.
    /// </summary>
    internal void Flush(long tick)
    {
        lock (_gate)
        {
            try
            {
                CollectChanges();
                var anything = _changed.Count > 0 || _joined.Count > 0 || _left.Count > 0 || _attacks.Count > 0;
                if (anything && _members.Count > 0)
                {
                    if (_view is null)
                    {
                        SendToEveryone(tick);
                    }
                    else
                    {
                        SendByView(tick, _view);
                    }
                }
            }
            finally
            {
                _changed.Clear();
                _changedSet.Clear();
                _joined.Clear();
                _joinedSet.Clear();
                _left.Clear();
                _attacks.Clear();
            }
            foreach (var end in _roundEnds)
            {
                if (end.Reason == RoundEndReason.KnockOut)
                {
                    _stats.KnockOut();
                }
                Broadcast(ServerMessages.KnockOut(end));
            }
            _roundEnds.Clear();
        }
    }

    /// <summary>Lists the players whose motion differs from what the clients were last told (newcomers are listed whole, under joined).</summary>
    private void CollectChanges()
    {
        foreach (var player in _rules.Players)
        {
            var now = Motion.Of(player);
            var known = _lastSent.TryGetValue(player.Id, out var before);
            _lastSent[player.Id] = now;
            if (!_joinedSet.Contains(player) && !(known && before == now))
            {
                _changed.Add(player);
                _changedSet.Add(player);
            }
        }
    }

    private void SendToEveryone(long tick)
    {
        var update = WriteUpdate(tick, _changed, around: null);
        OutboundMessage? snapshot = null;
        var sent = 0;
        try
        {
            foreach (var member in _members)
            {
                if (CaughtUp(member, tick, ref snapshot, ref sent) && update is not null && member.Connection.TrySend(update))
                {
                    sent++;
                }
            }
        }
        finally
        {
            update?.Release();
            snapshot?.Release();
        }
        _stats.Broadcast(sent);
        _stats.MessagesSent(sent);
    }

    /// <summary>
    /// Each member is told about the players in its cell of the view grid and the eight cells around it:
    /// those that changed, in an update framed once per cell; or all of them, in an update of its own,
    /// when the member has just come to that cell (its new neighbours may not have moved for a while).
    /// </summary>
    private void SendByView(long tick, PlayerGrid view)
    {
        view.Clear();
        foreach (var player in _rules.Players)
        {
            view.Place(player);
        }
        OutboundMessage? snapshot = null;
        var sent = 0;
        try
        {
            foreach (var member in _members)
            {
                if (!CaughtUp(member, tick, ref snapshot, ref sent))
                {
                    continue;
                }
                var cell = view.CellOf(member.Player!);
                if (member.ViewCell == cell)
                {
                    if (!_cellUpdates.TryGetValue(cell, out var shared))
                    {
                        _around.Clear();
                        view.CollectAround(cell, _around);
                        shared = WriteUpdate(tick, _around, around: cell, everyone: false);
                        _cellUpdates[cell] = shared;
                    }
                    if (shared is not null && member.Connection.TrySend(shared))
                    {
                        sent++;
                    }
                    continue;
                }
                _around.Clear();
                view.CollectAround(cell, _around);
                var personal = WriteUpdate(tick, _around, around: cell, everyone: true);
                member.ViewCell = cell;
                if (personal is not null)
                {
                    sent += member.Connection.TrySend(personal) ? 1 : 0;
                    personal.Release();
                }
            }
        }
        finally
        {
            // Released and forgotten even if something above failed: next tick must not reuse this tick's frames.
            foreach (var update in _cellUpdates.Values)
            {
                update?.Release();
            }
            _cellUpdates.Clear();
            snapshot?.Release();
        }
        _stats.Broadcast(sent);
        _stats.MessagesSent(sent);
    }

    /// <summary>
    /// False when the member should get no update this tick: its queue is more than half full (it will
    /// need a snapshot), or it has just caught up and got the snapshot of the whole room instead.
    /// </summary>
    private bool CaughtUp(GameClient member, long tick, ref OutboundMessage? snapshot, ref int sent)
    {
        var connection = member.Connection;
        if (connection.QueuedMessages > connection.SendQueueLimit / 2)
        {
            member.NeedsSnapshot = true;
            return false;
        }
        if (!member.NeedsSnapshot)
        {
            return true;
        }
        snapshot ??= ServerMessages.Snapshot(tick, _rules.Round, _rules.Players);
        member.NeedsSnapshot = !connection.TrySend(snapshot);
        sent += member.NeedsSnapshot ? 0 : 1;
        member.ViewCell = null; // told everything; with a view, its next update starts from its neighbourhood again
        return false;
    }

    /// <summary>
    /// Frames one update, or returns null when it would say nothing. <paramref name="candidates"/> are the
    /// players it may list: the changed ones without a view (<paramref name="around"/> null); with one, the
    /// players around that cell, of which it lists the changed ones, or, when <paramref name="everyone"/>,
    /// all (newcomers excepted: they are under joined). Joins and leaves go to the whole room; an attack
    /// only where its attacker can be seen.
    /// </summary>
    private OutboundMessage? WriteUpdate(long tick, List<PlayerState> candidates, long? around, bool everyone = false)
    {
        var json = JsonFrameBuilder.Start();
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("type"u8, "update"u8);
        w.WriteNumber("tick"u8, tick);
        w.WriteStartArray("players"u8);
        var listed = 0;
        foreach (var player in candidates)
        {
            if (around is not null && (everyone ? _joinedSet.Contains(player) : !_changedSet.Contains(player)))
            {
                continue;
            }
            w.WriteStartObject();
            w.WriteString("id"u8, player.Id);
            ServerMessages.WriteMotion(w, player);
            w.WriteEndObject();
            listed++;
        }
        w.WriteEndArray();
        if (_joined.Count > 0)
        {
            w.WriteStartArray("joined"u8);
            foreach (var player in _joined)
            {
                ServerMessages.WritePlayer(w, player);
            }
            w.WriteEndArray();
        }
        if (_left.Count > 0)
        {
            w.WriteStartArray("left"u8);
            foreach (var id in _left)
            {
                w.WriteStringValue(id);
            }
            w.WriteEndArray();
        }
        var attacks = 0;
        foreach (var (attacker, direction, hits) in _attacks)
        {
            if (around is not null && !PlayerGrid.AreNeighbours(_view!.CellOf(attacker), around.Value))
            {
                continue;
            }
            if (attacks++ == 0)
            {
                w.WriteStartArray("attacks"u8);
            }
            w.WriteStartObject();
            w.WriteString("id"u8, attacker.Id);
            w.WriteString("direction"u8, ServerMessages.DirectionName(direction));
            w.WriteStartArray("hits"u8);
            foreach (var hit in hits)
            {
                w.WriteStartObject();
                w.WriteString("id"u8, hit.VictimId);
                w.WriteNumber("energy"u8, hit.Energy);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        if (attacks > 0)
        {
            w.WriteEndArray();
        }
        w.WriteEndObject();
        if (listed == 0 && _joined.Count == 0 && _left.Count == 0 && attacks == 0)
        {
            json.Dispose();
            return null;
        }
        return json.ToFrame();
    }

    private void StartRound()
    {
        _stats.RoundStarted();
        foreach (var player in _rules.Players)
        {
            _lastSent[player.Id] = Motion.Of(player);
        }
        Broadcast(ServerMessages.Round(_rules.Round, _rules.Players));
    }

    /// <summary>Queues a message (owned by the caller, released here) to every member.</summary>
    private void Broadcast(OutboundMessage message)
    {
        foreach (var member in _members)
        {
            member.Connection.TrySend(message);
        }
        _stats.Broadcast(_members.Count);
        _stats.MessagesSent(_members.Count);
        message.Release();
    }
}
