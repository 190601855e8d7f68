namespace WsGame.Bench;

/// <summary>
/// One client of the fan-out room: joins, then reads everything the server sends and tells the
/// <see cref="FanOutBroadcasts"/> about each chat message the benchmark's broadcasters sent.
/// </summary>
public sealed class FanOutMember(BenchClient client, string name, FanOutBroadcasts broadcasts)
{
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long[] _lastSequence = new long[broadcasts.Broadcasters];

    public BenchClient Client => client;

    public string Name => name;

    /// <summary>Completes when the server announced this member's join; fails when the room was full or the join refused.</summary>
    public Task Joined => _joined.Task;

    /// <summary>Set when the server closed the connection or it broke while the room was running.</summary>
    public bool Dropped { get; private set; }

    /// <summary>A broadcast this member got twice: never expected.</summary>
    public int Duplicates { get; private set; }

    /// <summary>Game-level error answers other than a full room.</summary>
    public int Errors { get; private set; }

    /// <summary>Reads until the connection ends; started once, right after the connection opened.</summary>
    public async Task ReceiveLoopAsync()
    {
        var joinedText = ChatProtocol.JoinedText(name);
        await client.ReadTextUntilClosedAsync(payload =>
        {
            switch (ChatProtocol.Classify(payload.Span, out var message))
            {
                case ChatEventKind.Chat when message is not null && FanOutBroadcasts.TryParse(message, out var broadcaster, out var sequence):
                    OnBroadcast(broadcaster, sequence);
                    break;
                case ChatEventKind.Status when message == joinedText:
                    _joined.TrySetResult();
                    break;
                case ChatEventKind.Error when message == ChatProtocol.RoomFullMessage:
                    _joined.TrySetException(new RoomFullException());
                    break;
                case ChatEventKind.Error:
                    Errors++;
                    _joined.TrySetException(new InvalidOperationException($"join refused: {message}"));
                    break;
            }
        });
        // Closed, by the server or by the end of the scenario: the scenario reads Dropped before it closes its members.
        Dropped = true;
        _joined.TrySetException(new IOException("connection closed before the join was answered"));
    }

    private void OnBroadcast(int broadcaster, long sequence)
    {
        if (broadcaster < 0 || broadcaster >= _lastSequence.Length)
        {
            return;
        }
        if (sequence <= _lastSequence[broadcaster])
        {
            Duplicates++;
            return;
        }
        _lastSequence[broadcaster] = sequence;
        broadcasts.Received(broadcaster, sequence);
    }
}

/// <summary>A named room that already holds WsGame:Game:RoomCapacity players.</summary>
public sealed class RoomFullException() : InvalidOperationException("the room is full (" + ChatProtocol.RoomFullMessage + ")");
