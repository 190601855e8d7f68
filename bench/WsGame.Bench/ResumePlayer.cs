using System.Diagnostics;
using System.Text.Json;

namespace WsGame.Bench;

/// <summary>
/// One player of the resume scenario: joins a named duel room, walks <see cref="GamePath"/> at the move rate
/// (so the room's updates flow), and at the moments it is given drops its connection without a close frame,
/// opens a new one and resumes its seat with the last <c>seq</c> it saw. Its <see cref="SeqCheck"/> spans every
/// connection, so a message missed or repeated across a resume shows as a gap or a duplicate.
/// </summary>
/// <remarks>
/// After a resumed welcome the server replays what was missed, then (when it had noticed the drop) announces
/// <c>"NAME is back."</c> to the room, this player included: that status marks the end of the replay, and the
/// first update or snapshot after it is the first live message. A resume that overtook the server's notice of the
/// drop takes the seat over without that status (<see cref="TakeOvers"/>); it has no live time.
/// </remarks>
public sealed class ResumePlayer
{
    private enum Stage { Joining, Live, Replaying, Back }

    private readonly int _index;
    private readonly Connector _connector;
    private readonly Action<ReadOnlyMemory<byte>> _onMessage;
    private TaskCompletionSource _welcomed = NewWelcome();
    private BenchClient _client;
    private Task _readLoop = Task.CompletedTask;
    private byte[][] _moves = [];
    private byte[] _backSuffix = [];
    private volatile bool _aborting;
    private volatile Stage _stage = Stage.Joining;
    private long _resumeSent;
    private bool _firstAfterWelcome;
    private string? _room;

    public ResumePlayer(int index, BenchClient client, Connector connector)
    {
        _index = index;
        _client = client;
        _connector = connector;
        _onMessage = OnMessage; // one delegate for the player's life: none per message
    }

    public string Name => $"r{_index}";

    public string? Id { get; private set; }

    public string? Room => _room;

    /// <summary>The connection in use now (the last one opened).</summary>
    public BenchClient Client => _client;

    /// <summary>Every connection's receive loop ends before the next starts; this is the current one.</summary>
    public Task ReadLoop => _readLoop;

    public SeqCheck Check { get; } = new();

    /// <summary>Sending the resume to receiving the resumed welcome.</summary>
    public LatencyRecorder ResumeLatency { get; } = new();

    /// <summary>Sending the resume to the first update or snapshot after the replay.</summary>
    public LatencyRecorder LiveLatency { get; } = new();

    public int Drops { get; private set; }
    public int Resumes { get; private set; }
    public int Refused { get; private set; }
    public int TakeOvers { get; private set; }
    public int SnapshotsForReplay { get; private set; }
    public long Replayed { get; private set; }
    public int Mismatches { get; private set; }
    public int Corrections { get; private set; }
    public int KnockOuts { get; private set; }
    public int Errors { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>The current connection ended while it was in use, not by this player's own drop.</summary>
    public bool Dropped { get; private set; }

    public Task Welcomed => _welcomed.Task;

    public byte[] JoinFrame(string room) => BenchClient.TextFrame(JsonSerializer.Serialize(new { type = "join", name = Name, room }));

    public void StartReading() => _readLoop = Task.Run(() => ReadAsync(_client));

    /// <summary>
    /// Moves every <paramref name="period"/> until <paramref name="stop"/>, and drops and resumes at each of
    /// <paramref name="drops"/> (times since <paramref name="since"/>, a <see cref="Stopwatch"/> timestamp), in order.
    /// Returns early when a resume fails: the seat is lost to this player.
    /// </summary>
    public async Task PlayAsync(TimeSpan period, TimeSpan[] drops, long since, TimeSpan resumeTimeout, CancellationToken stop)
    {
        var next = 0;
        var move = 0;
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)period.TotalMilliseconds)), stop);
            using var timer = new PeriodicTimer(period);
            do
            {
                if (next < drops.Length && Stopwatch.GetElapsedTime(since) >= drops[next])
                {
                    next++;
                    if (!await DropAndResumeAsync(resumeTimeout))
                    {
                        return;
                    }
                }
                await _client.SendAsync(_moves[move++ % _moves.Length], CancellationToken.None);
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

    /// <summary>Stops counting; a resume still waiting for its "is back" then had none.</summary>
    public void StopCounting()
    {
        Check.Counting = false;
        if (_stage == Stage.Replaying)
        {
            TakeOvers++;
        }
        _stage = Stage.Live;
    }

    private async Task<bool> DropAndResumeAsync(TimeSpan timeout)
    {
        if (_stage == Stage.Replaying)
        {
            TakeOvers++; // the last resume never saw its "is back"
        }
        _aborting = true;
        _client.Abort();
        await _readLoop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _aborting = false;
        Drops++;
        var lastSeen = Check.Last; // the read loop has ended: nothing more can arrive on the old connection
        _welcomed = NewWelcome();
        try
        {
            _client = await _connector.ConnectAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException or InvalidOperationException)
        {
            Refused++;
            LastError = $"reconnect failed: {exception.Message}";
            return false;
        }
        StartReading();
        var frame = BenchClient.TextFrame(JsonSerializer.Serialize(new { type = "resume", token = _token, seq = lastSeen }));
        _resumeSent = Stopwatch.GetTimestamp();
        try
        {
            await _client.SendAsync(frame, CancellationToken.None);
            await _welcomed.Task.WaitAsync(timeout);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or TimeoutException
                                             or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Refused++;
            LastError = exception is TimeoutException ? $"no answer to the resume within {timeout.TotalSeconds} s" : exception.Message;
            return false;
        }
        Resumes++;
        return true;
    }

    private string? _token;

    private async Task ReadAsync(BenchClient client)
    {
        await client.ReadTextUntilClosedAsync(_onMessage);
        if (!_aborting && Check.Counting && client == _client)
        {
            Dropped = true;
        }
        _welcomed.TrySetException(new IOException("connection closed before the welcome"));
    }

    private void OnMessage(ReadOnlyMemory<byte> payload)
    {
        var json = payload.Span;
        var seq = GameMessages.SeqOf(json);
        var type = GameMessages.TypeOf(json);
        if (seq < 0)
        {
            // Outside the stream: the welcome, or an error to a join or a resume.
            if (type.SequenceEqual("welcome"u8))
            {
                OnWelcome(payload);
            }
            else if (type.SequenceEqual("error"u8))
            {
                Errors++;
                LastError = GameMessages.ErrorText(payload);
                _welcomed.TrySetException(new InvalidOperationException($"refused: {LastError}"));
            }
            return;
        }
        var snapshot = type.SequenceEqual("snapshot"u8);
        Check.Observe(seq, snapshot);
        if (!Check.Counting)
        {
            return;
        }
        switch (_stage)
        {
            case Stage.Replaying:
                if (_firstAfterWelcome && snapshot)
                {
                    SnapshotsForReplay++; // the missed messages were no longer kept
                }
                _firstAfterWelcome = false;
                if (type.SequenceEqual("status"u8) && json.EndsWith(_backSuffix))
                {
                    _stage = Stage.Back;
                }
                else
                {
                    Replayed++;
                }
                break;
            case Stage.Back:
                if (snapshot || type.SequenceEqual("update"u8))
                {
                    LiveLatency.Record(_resumeSent);
                    _stage = Stage.Live;
                }
                break;
        }
        if (type.SequenceEqual("correction"u8))
        {
            Corrections++;
        }
        else if (type.SequenceEqual("ko"u8))
        {
            KnockOuts++;
        }
        else if (type.SequenceEqual("error"u8))
        {
            Errors++;
            LastError = GameMessages.ErrorText(payload);
        }
    }

    private void OnWelcome(ReadOnlyMemory<byte> payload)
    {
        var seat = GameMessages.ReadSeat(payload);
        _token = seat.Token;
        if (seat.Resumed)
        {
            ResumeLatency.Record(_resumeSent);
            if (seat.Id != Id || seat.Room != _room)
            {
                Mismatches++;
            }
            _firstAfterWelcome = true;
            _stage = Stage.Replaying;
        }
        else
        {
            Id = seat.Id;
            _room = seat.Room;
            // "NAME is back." ends with the player's id: {"seq":N,"type":"status","message":"r7 is back.","id":"7"}
            _backSuffix = System.Text.Encoding.UTF8.GetBytes($" is back.\",\"id\":\"{seat.Id}\"}}");
            _moves = MoveFrames(GameMessages.ReadWelcome(payload));
            _stage = Stage.Live;
        }
        _welcomed.TrySetResult();
    }

    /// <summary>
    /// The path's moves, framed once: a cycle of 64 positions, so the move loop sends the same frames over and
    /// over and allocates nothing. Into the arena from the spawn point, as <see cref="GameBot"/> walks.
    /// </summary>
    private static byte[][] MoveFrames(Welcome welcome)
    {
        var spanX = welcome.ArenaWidth - welcome.Sprite;
        var spanY = welcome.ArenaHeight - welcome.Sprite;
        var signX = welcome.Direction == "LEFT" ? -1 : 1;
        if (welcome.Left + signX * GamePath.Extent is var x && (x < 0 || x > spanX))
        {
            signX = -signX;
        }
        var signY = welcome.Top + GamePath.Extent <= spanY ? 1 : -1;
        var frames = new byte[GamePath.Side * GamePath.Side][];
        for (var i = 0; i < frames.Length; i++)
        {
            var (dx, dy) = GamePath.Offset(i + 1);
            frames[i] = BenchClient.TextFrame(
                $"{{\"type\":\"move\",\"left\":{welcome.Left + signX * dx},\"top\":{welcome.Top + signY * dy},\"direction\":\"{welcome.Direction}\",\"status\":\"MOVE\"}}");
        }
        return frames;
    }

    private static TaskCompletionSource NewWelcome() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
