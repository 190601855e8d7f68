using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WsGame.Api.Game.Wire;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Game.Session;

/// <summary>
/// The game server's state: every connected client and the rooms with every player's data. A
/// singleton shared by all connections. Matchmaking and the set of rooms are guarded by one lock
/// (taken only on join and leave); everything inside a room by that room's lock.
/// </summary>
public sealed class GameSession(IOptions<GameOptions> options, TimeProvider time)
{
    private readonly GameOptions _options = options.Value;
    private readonly long _startedAt = time.GetTimestamp();
    private readonly ConcurrentDictionary<long, GameClient> _clients = new();
    private readonly object _roomsGate = new();
    private readonly List<Room> _rooms = [];
    private readonly List<Room> _tickRooms = [];
    private long _nextPlayerId;
    private long _nextRoomNumber;
    private long _tick;

    public GameStats Stats { get; } = new();

    public GameOptions Options => _options;

    public int ClientCount => _clients.Count;

    public IEnumerable<GameClient> Clients => _clients.Values;

    public int PlayerCount => _clients.Values.Count(client => client.Player is not null);

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

    public IReadOnlyList<Room> Rooms
    {
        get
        {
            lock (_roomsGate)
            {
                return [.. _rooms];
            }
        }
    }

    /// <summary>Game time: elapsed since the session started (the rules never read a clock).</summary>
    public TimeSpan Now => time.GetElapsedTime(_startedAt);

    internal GameClient Connect(WebSocketConnection connection)
    {
        var client = new GameClient(connection);
        _clients[connection.Id] = client;
        return client;
    }

    /// <summary>The client of a connection on /ws, while it is connected.</summary>
    internal bool TryGetClient(WebSocketConnection connection, out GameClient client) =>
        _clients.TryGetValue(connection.Id, out client!);

    internal void Disconnect(GameClient client)
    {
        _clients.TryRemove(client.Connection.Id, out _);
        Leave(client);
    }

    /// <summary>Joins the client to the named room, or matchmakes it into a public room with a free slot.</summary>
    internal JoinRefusal Join(GameClient client, string name, string sprite, string? roomName)
    {
        var id = Interlocked.Increment(ref _nextPlayerId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (_roomsGate)
        {
            var room = roomName is null
                ? _rooms.Find(candidate => candidate.IsPublic && candidate.PlayerCount < _options.RoomCapacity)
                : _rooms.Find(candidate => candidate.Name == roomName);
            if (room is null)
            {
                room = new Room(roomName ?? $"ROOM{Interlocked.Increment(ref _nextRoomNumber)}", isPublic: roomName is null, _options, Stats);
                _rooms.Add(room);
            }
            var refusal = room.Join(client, id, name, sprite);
            if (refusal != JoinRefusal.None && room.PlayerCount == 0)
            {
                _rooms.Remove(room);
            }
            return refusal;
        }
    }

    /// <summary>Takes the client's player out of its room; an empty room disappears.</summary>
    internal void Leave(GameClient client)
    {
        if (client.Room is null)
        {
            return;
        }
        lock (_roomsGate)
        {
            var room = client.Room;
            if (room is not null && room.Leave(client) == 0)
            {
                _rooms.Remove(room);
            }
        }
    }

    /// <summary>The connected client whose player has the id <paramref name="playerId"/>; null when no such player is joined.</summary>
    public GameClient? FindPlayer(string playerId) =>
        _clients.Values.FirstOrDefault(client => client.Player?.Id == playerId);

    /// <summary>
    /// Sends an operator's announcement (<c>{"type":"status","message":"[server] ...","id":"server"}</c>)
    /// to every joined player, room by room under each room's lock. Returns the number of recipients.
    /// </summary>
    public int Announce(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var recipients = 0;
        foreach (var room in Rooms)
        {
            recipients += room.Announce(message);
        }
        return recipients;
    }

    /// <summary>One tick of the game loop: every room sends what changed since the last tick.</summary>
    internal void Tick()
    {
        var tick = Interlocked.Increment(ref _tick);
        lock (_roomsGate)
        {
            _tickRooms.Clear();
            _tickRooms.AddRange(_rooms);
        }
        foreach (var room in _tickRooms)
        {
            room.Flush(tick);
        }
        Stats.Tick();
    }
}
