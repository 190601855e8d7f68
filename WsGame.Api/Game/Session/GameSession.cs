using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WsGame.Api.Game.Results;
using WsGame.Api.Game.Rooms;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Game.Session;

/// <summary>
/// The lobby of this process: every connected client, the rooms (actors) by name, matchmaking, and where a
/// resume token leads. Matchmaking and the set of rooms are guarded by one lock, taken only to route a join,
/// a spectate or a resume and to drop an empty room; nothing inside a room is touched here.
/// </summary>
public sealed class GameSession(IOptions<GameOptions> options, TimeProvider time, ILogger<GameSession> logger, IMatchRecorder? recorder = null,
    Hosting.NodeIdentity? node = null)
{
    private readonly string _playerIdPrefix = node?.PlayerIdPrefix ?? "";
    private readonly GameOptions _options = options.Value;
    private readonly long _startedAt = time.GetTimestamp();
    private readonly ConcurrentDictionary<long, GameClient> _clients = new();
    private readonly ConcurrentDictionary<string, RoomActor> _playerRooms = new(StringComparer.Ordinal);
    private readonly object _roomsGate = new();
    private readonly List<RoomActor> _rooms = [];
    private RoomActor[]? _roomsSnapshot; // kept until the rooms change: the tick (20 a second) copies nothing
    private readonly Dictionary<string, RoomActor> _roomsByName = new(StringComparer.Ordinal);
    private long _nextPlayerId;
    private long _nextRoomNumber;
    private long _tick;

    public GameStats Stats { get; } = new();

    public GameOptions Options => _options;

    public int ClientCount => _clients.Count;

    public IEnumerable<GameClient> Clients => _clients.Values;

    /// <summary>Players with a seat, held seats included.</summary>
    public int PlayerCount => _playerRooms.Count;

    public int RoomCount
    {
        get
        {
            lock (_roomsGate)
            {
                return _rooms.Count;
            }
        }
    }

    public long CurrentTick => Interlocked.Read(ref _tick);

    public IReadOnlyList<RoomActor> Rooms => Volatile.Read(ref _roomsSnapshot) ?? SnapshotRooms();

    private RoomActor[] SnapshotRooms()
    {
        lock (_roomsGate)
        {
            return _roomsSnapshot ??= [.. _rooms];
        }
    }

    /// <summary>Game time: elapsed since the session started (the rules never read a clock).</summary>
    public TimeSpan Now => time.GetElapsedTime(_startedAt);

    public RoomActor? FindRoom(string name)
    {
        lock (_roomsGate)
        {
            return _roomsByName.GetValueOrDefault(name);
        }
    }

    /// <summary>The room where the player with this id has a seat (connected or held).</summary>
    public RoomActor? FindPlayer(string playerId) => _playerRooms.GetValueOrDefault(playerId);

    internal GameClient Connect(WebSocketConnection connection)
    {
        var client = new GameClient(connection);
        _clients[connection.Id] = client;
        return client;
    }

    /// <summary>The client of a connection on /ws, while it is connected.</summary>
    internal bool TryGetClient(WebSocketConnection connection, out GameClient client) =>
        _clients.TryGetValue(connection.Id, out client!);

    /// <summary>The connection ended; its room holds the seat or lets it go (<paramref name="consented"/>: closed with 1000).</summary>
    internal void Disconnect(GameClient client, bool consented)
    {
        _clients.TryRemove(client.Key, out _);
        client.Closed();
        client.Room?.Post(client, RoomInput.Disconnect(client.Key, Now, consented));
    }

    /// <summary>
    /// Routes a join to the named room, or matchmakes it into a public room with a free seat (a new room when
    /// none has one). False when the named room is full: nothing was posted.
    /// </summary>
    internal bool Join(GameClient client, string name, string sprite, string? roomName, PlayerProfile? profile = null)
    {
        var id = _playerIdPrefix + Interlocked.Increment(ref _nextPlayerId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        RoomActor room;
        lock (_roomsGate)
        {
            var found = roomName is null
                ? _rooms.Find(candidate => candidate.IsPublic && candidate.SeatClaims < _options.RoomCapacity)
                : _roomsByName.GetValueOrDefault(roomName);
            room = found ?? AddRoom(roomName ?? NextRoomName(), isPublic: roomName is null);
            if (!room.TryClaimSeat(_options.RoomCapacity))
            {
                return false;
            }
            client.Room = room;
        }
        room.Post(client, RoomInput.Join(client.Key, Now, id, name, sprite, NewToken(room.Name), profile));
        return true;
    }

    /// <summary>Routes a resume to the room its token names; false when no such room is open.</summary>
    internal bool Resume(GameClient client, string token, long lastSeen)
    {
        var room = RoomOfToken(token) is { } name ? FindRoom(name) : null;
        if (room is null)
        {
            return false;
        }
        client.Room = room;
        room.Post(client, RoomInput.Resume(client.Key, Now, token, lastSeen, NewToken(room.Name)));
        return true;
    }

    /// <summary>Routes a spectator to an open room; false when there is none of that name.</summary>
    internal bool Spectate(GameClient client, string roomName, string name)
    {
        RoomActor? room;
        lock (_roomsGate)
        {
            room = _roomsByName.GetValueOrDefault(roomName);
            room?.ClaimSpectator();
        }
        if (room is null)
        {
            return false;
        }
        client.Room = room;
        room.Post(client, RoomInput.Spectate(client.Key, Now, name));
        return true;
    }

    /// <summary>The operator removes a player: its connection is closed with 4002 and its seat given up.</summary>
    public bool Remove(string playerId)
    {
        if (FindPlayer(playerId) is not { } room)
        {
            return false;
        }
        room.Post(null, RoomInput.Remove(Now, playerId));
        return true;
    }

    /// <summary>
    /// Sends an operator's announcement (<c>{"type":"status","message":"[server] ...","id":"server"}</c>) to every
    /// room, in order with each room's other messages. Returns how many members the rooms had when it was sent.
    /// </summary>
    public int Announce(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var recipients = 0;
        foreach (var room in Rooms)
        {
            recipients += room.Seats + room.SpectatorCount;
            room.Post(null, RoomInput.Announce(Now, message));
        }
        return recipients;
    }

    /// <summary>One tick of the game loop: every room is handed its tick, which it handles in turn with its inputs.</summary>
    internal void Tick()
    {
        var tick = Interlocked.Increment(ref _tick);
        var now = Now;
        // A copy, not walked under the lock: a room's turn may drop rooms. One array per tick, not per message.
        foreach (var room in Rooms)
        {
            room.PostTick(RoomInput.Tick(now, tick));
        }
        Stats.Tick();
    }

    /// <summary>Rounds a room's step ended: handed to storage's queue (on the room's turn, so without waiting).</summary>
    internal void MatchesEnded(List<MatchResult> matches)
    {
        if (recorder is null)
        {
            return;
        }
        var endedAt = time.GetUtcNow().UtcDateTime;
        foreach (var match in matches)
        {
            recorder.Record(match, endedAt);
        }
    }

    internal void RoomFailed(string room, Exception exception) =>
        logger.LogError(exception, "Room {Room} failed to handle an input", room);

    /// <summary>Keeps the index from player ids to rooms current after a room's step.</summary>
    internal void SeatsChanged(RoomActor room, RoomCore core, RoomOutbox outbox, in RoomInput input)
    {
        foreach (var id in outbox.ReleasedSeats)
        {
            _playerRooms.TryRemove(new KeyValuePair<string, RoomActor>(id, room));
        }
        // Only a join or a resume seats anyone: the index is not written on every move (a write takes a lock).
        if (input.Kind is RoomInputKind.Join or RoomInputKind.Resume
            && core.MemberOf(input.Connection) is { IsSpectator: false } seat)
        {
            _playerRooms[seat.Id] = room;
        }
    }

    /// <summary>Drops a room that no seat, held or promised, and no spectator needs any more.</summary>
    internal void RoomMayBeEmpty(RoomActor room)
    {
        lock (_roomsGate)
        {
            if (room.IsEmpty && _roomsByName.GetValueOrDefault(room.Name) == room)
            {
                _roomsByName.Remove(room.Name);
                _rooms.Remove(room);
                _roomsSnapshot = null;
            }
        }
    }

    private RoomActor AddRoom(string name, bool isPublic)
    {
        var room = new RoomActor(name, isPublic, _options, this);
        _rooms.Add(room);
        _roomsSnapshot = null;
        _roomsByName[name] = room;
        return room;
    }

    private string NextRoomName()
    {
        string name;
        do
        {
            name = $"ROOM{++_nextRoomNumber}";
        }
        while (_roomsByName.ContainsKey(name));
        return name;
    }

    /// <summary>
    /// A resume token: 128 random bits, then the room's name, so that any node can tell where the seat is
    /// without a shared index (the room itself checks the random part, once).
    /// </summary>
    internal static string NewToken(string room) =>
        $"{Base64Url(RandomNumberGenerator.GetBytes(16))}.{Base64Url(Encoding.UTF8.GetBytes(room))}";

    internal static string? RoomOfToken(string token)
    {
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot == token.Length - 1)
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(dot + 1)));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
