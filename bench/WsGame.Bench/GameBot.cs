using System.Diagnostics;
using System.Text.Json;

namespace WsGame.Bench;

/// <summary>
/// One player of the game scenario. Its move loop walks <see cref="GamePath"/> at 10 Hz and attacks now
/// and then; its receive loop, when it is an observer, matches every other player's position in each
/// <c>update</c> (or <c>snapshot</c>) to the move that put it there, for the delivery latency.
/// </summary>
/// <remarks>
/// Moves superseded within one tick are never shown (the latest state wins, by design): a move counts
/// as seen when it or a later move of the same player is. A move counts as lost when an observer never
/// saw it nor anything after it.
/// </remarks>
public sealed class GameBot(int index, BenchClient client, bool observer)
{
    private static readonly byte[] AttackFrame = BenchClient.TextFrame("{\"type\":\"attack\"}");
    private static readonly Action<GameBot, long, int, int> OnPositionAction = (bot, id, left, top) => bot.OnPosition(id, left, top);

    private readonly TaskCompletionSource<Welcome> _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<long, long> _lastSeen = [];
    private IReadOnlyDictionary<long, GameBot> _players = new Dictionary<long, GameBot>();
    private readonly List<(int Count, long MaxMicros)> _lateBySecond = [];
    private long _measuringSince;
    private volatile bool _measuring;
    private long _now;
    private int _signX = 1, _signY = 1;

    public string Name => $"g{index}";

    public BenchClient Client => client;

    public bool Observer => observer;

    public MoveTrack Track { get; } = new();

    public LatencyRecorder Latency { get; } = new();

    public Welcome? Welcome { get; private set; }

    /// <summary>Completes with the welcome; fails on an error answer to the join (a full room) or a closed connection.</summary>
    public Task<Welcome> Welcomed => _welcome.Task;

    public long Seen { get; private set; }

    /// <summary>Updates and snapshots that arrived while measuring, whatever they listed: tells a blind observer from an unseen mover.</summary>
    public long UpdatesReceived { get; private set; }
    public long Superseded { get; private set; }
    public long Unmatched { get; private set; }
    public int Corrections { get; private set; }
    public int Snapshots { get; private set; }
    public int Rounds { get; private set; }
    public int KnockOuts { get; private set; }
    public int Errors { get; private set; }
    public string? LastError { get; private set; }
    public bool Dropped { get; private set; }

    /// <summary>The join: into matchmaking without <paramref name="room"/>, else into that named room (escaped as JSON).</summary>
    public byte[] JoinFrame(string? room) => BenchClient.TextFrame(room is null
        ? JsonSerializer.Serialize(new { type = "join", name = Name })
        : JsonSerializer.Serialize(new { type = "join", name = Name, room }));

    /// <summary>Deliveries later than this are also counted by the second they arrived in (<see cref="LateBySecond"/>).</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Per second since measuring started (by arrival): how many deliveries came later than <see cref="LateAfter"/>
    /// and the worst latency among them, to tell a steady tail from bursts.
    /// </summary>
    public IReadOnlyList<(int Count, long MaxMicros)> LateBySecond => _lateBySecond;

    /// <summary>
    /// Starts counting: <paramref name="players"/> maps every bot's player id to the bot, for the observers' lookups;
    /// <paramref name="since"/> is the common start (a <see cref="Stopwatch"/> timestamp) for <see cref="LateBySecond"/>.
    /// </summary>
    public void StartMeasuring(IReadOnlyDictionary<long, GameBot> players, long since)
    {
        _players = players;
        _measuringSince = since;
        _measuring = true;
    }

    public void StopMeasuring() => _measuring = false;

    /// <summary>Moves this observer never saw of <paramref name="mover"/>: everything after the last one it saw.</summary>
    public long UnseenOf(GameBot mover) => mover.Track.Latest - _lastSeen.GetValueOrDefault(mover.Welcome!.Id);

    public async Task ReceiveLoopAsync()
    {
        await client.ReadTextUntilClosedAsync(OnMessage);
        // Closed: by the server (a failure while measuring) or by the end of the scenario.
        if (_measuring)
        {
            Dropped = true;
        }
        _welcome.TrySetException(new IOException("connection closed before the welcome"));
    }

    /// <summary>Walks and attacks until <paramref name="stop"/>; starts at a random point of the 100 ms period so the bots do not send in bursts.</summary>
    public async Task MoveLoopAsync(TimeSpan period, double attackChance, CancellationToken stop)
    {
        var welcome = Welcome!;
        var spanX = welcome.ArenaWidth - welcome.Sprite;
        var spanY = welcome.ArenaHeight - welcome.Sprite;
        // Walk into the arena: away from the wall the spawn point faces away from, and down unless too near the bottom.
        _signX = welcome.Direction == "LEFT" ? -1 : 1;
        if (welcome.Left + _signX * GamePath.Extent is var x && (x < 0 || x > spanX))
        {
            _signX = -_signX;
        }
        _signY = welcome.Top + GamePath.Extent <= spanY ? 1 : -1;
        var random = new Random(index);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, (int)period.TotalMilliseconds)), stop);
            using var timer = new PeriodicTimer(period);
            do
            {
                var (dx, dy) = GamePath.Offset(Track.Latest + 1);
                var left = welcome.Left + _signX * dx;
                var top = welcome.Top + _signY * dy;
                var frame = BenchClient.TextFrame(
                    $"{{\"type\":\"move\",\"left\":{left},\"top\":{top},\"direction\":\"{welcome.Direction}\",\"status\":\"MOVE\"}}");
                // Recorded before it is sent, and sent whatever happens to the stop token: a move in the
                // track that never left would count as lost.
                Track.Add(left, top, Stopwatch.GetTimestamp());
                await client.SendAsync(frame, CancellationToken.None);
                if (random.NextDouble() < attackChance)
                {
                    await client.SendAsync(AttackFrame, CancellationToken.None);
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Dropped = true;
        }
    }

    private void OnMessage(ReadOnlyMemory<byte> payload)
    {
        var type = GameMessages.TypeOf(payload.Span);
        if (type.SequenceEqual("update"u8) || type.SequenceEqual("snapshot"u8))
        {
            if (type[0] == (byte)'s' && _measuring)
            {
                Snapshots++;
            }
            if (_measuring)
            {
                UpdatesReceived++;
            }
            if (_measuring && observer)
            {
                _now = Stopwatch.GetTimestamp();
                GameMessages.ForEachPlayerPosition(payload.Span, this, OnPositionAction);
            }
        }
        else if (type.SequenceEqual("welcome"u8))
        {
            Welcome = GameMessages.ReadWelcome(payload);
            _welcome.TrySetResult(Welcome);
        }
        else if (type.SequenceEqual("correction"u8))
        {
            Corrections += _measuring ? 1 : 0;
        }
        else if (type.SequenceEqual("round"u8))
        {
            Rounds += _measuring ? 1 : 0;
        }
        else if (type.SequenceEqual("ko"u8))
        {
            KnockOuts += _measuring ? 1 : 0;
        }
        else if (type.SequenceEqual("error"u8))
        {
            Errors++;
            LastError = GameMessages.ErrorText(payload);
            _welcome.TrySetException(LastError == ChatProtocol.RoomFullMessage
                ? new RoomFullException()
                : new InvalidOperationException($"join refused: {LastError}"));
        }
    }

    private void CountIfLate(long micros)
    {
        if (micros <= (long)LateAfter.TotalMicroseconds)
        {
            return;
        }
        var second = (int)Math.Max(0, (_now - _measuringSince) / Stopwatch.Frequency);
        while (_lateBySecond.Count <= second)
        {
            _lateBySecond.Add((0, 0));
        }
        var (count, max) = _lateBySecond[second];
        _lateBySecond[second] = (count + 1, Math.Max(max, micros));
    }

    private void OnPosition(long id, int left, int top)
    {
        if (id == Welcome!.Id || !_players.TryGetValue(id, out var mover))
        {
            return;
        }
        var track = mover.Track;
        var last = _lastSeen.GetValueOrDefault(id);
        if (last > 0 && track.TryGet(last, out var lastLeft, out var lastTop, out _) && lastLeft == left && lastTop == top)
        {
            return; // listed for another change (an attack): nothing new about its moves
        }
        var latest = track.Latest;
        for (var sequence = Math.Max(last + 1, latest - MoveTrack.Capacity + 1); sequence <= latest; sequence++)
        {
            if (track.TryGet(sequence, out var moveLeft, out var moveTop, out var sent) && moveLeft == left && moveTop == top)
            {
                CountIfLate(Latency.Record(sent, _now));
                Seen++;
                Superseded += sequence - last - 1;
                _lastSeen[id] = sequence;
                return;
            }
        }
        Unmatched++;
    }
}
