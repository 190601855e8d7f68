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
    private readonly List<(string AttackerId, Direction Direction, IReadOnlyList<Hit> Hits)> _attacks = [];
    private readonly List<RoundEnd> _roundEnds = [];
    private int _playerCount;

    internal Room(string name, bool isPublic, GameOptions options, GameStats stats)
    {
        Name = name;
        IsPublic = isPublic;
        _rules = new RoomRules(options);
        _stats = stats;
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
            _attacks.Add((player.Id, player.Direction, result.Hits));
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
    /// The tick: one update with what changed since the last one, framed once and queued to every
    /// member; nothing when nothing changed. A member whose queue is more than half full skips
    /// updates and gets a snapshot once it has caught up.
    /// </summary>
    internal void Flush(long tick)
    {
        lock (_gate)
        {
            var update = BuildUpdate(tick);
            if (update is not null)
            {
                OutboundMessage? snapshot = null;
                foreach (var member in _members)
                {
                    var connection = member.Connection;
                    if (connection.QueuedMessages > connection.SendQueueLimit / 2)
                    {
                        member.NeedsSnapshot = true;
                    }
                    else if (member.NeedsSnapshot)
                    {
                        snapshot ??= ServerMessages.Snapshot(tick, _rules.Round, _rules.Players);
                        member.NeedsSnapshot = !connection.TrySend(snapshot);
                    }
                    else
                    {
                        connection.TrySend(update);
                    }
                }
                _stats.Broadcast(_members.Count);
                _stats.MessagesSent(_members.Count);
                update.Release();
                snapshot?.Release();
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

    private OutboundMessage? BuildUpdate(long tick)
    {
        var json = JsonFrameBuilder.Start();
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("type"u8, "update"u8);
        w.WriteNumber("tick"u8, tick);
        w.WriteStartArray("players"u8);
        var changed = 0;
        foreach (var player in _rules.Players)
        {
            var now = Motion.Of(player);
            var known = _lastSent.TryGetValue(player.Id, out var before);
            _lastSent[player.Id] = now;
            if (_joinedSet.Contains(player) || (known && before == now))
            {
                continue;
            }
            w.WriteStartObject();
            w.WriteString("id"u8, player.Id);
            ServerMessages.WriteMotion(w, player);
            w.WriteEndObject();
            changed++;
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
        if (_attacks.Count > 0)
        {
            w.WriteStartArray("attacks"u8);
            foreach (var (attackerId, direction, hits) in _attacks)
            {
                w.WriteStartObject();
                w.WriteString("id"u8, attackerId);
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
            w.WriteEndArray();
        }
        w.WriteEndObject();
        var anything = changed > 0 || _joined.Count > 0 || _left.Count > 0 || _attacks.Count > 0;
        _joined.Clear();
        _joinedSet.Clear();
        _left.Clear();
        _attacks.Clear();
        if (!anything || _members.Count == 0)
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
