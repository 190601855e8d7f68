using System.Text.Json;

namespace WsGame.Bench;

/// <summary>
/// A spectator of the resume scenario: watches one duel room and checks that its own numbered stream has no gap and
/// no repeat while the room's players drop and resume around it. It parses only the start of each message (its
/// number and type), so a thousand of them cost the generator little.
/// </summary>
public sealed class ResumeSpectator(int index, BenchClient client)
{
    private readonly TaskCompletionSource _welcomed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BenchClient Client => client;

    public SeqCheck Check { get; } = new();

    public int Errors { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The connection ended while counting.</summary>
    public bool Dropped { get; private set; }

    public Task Welcomed => _welcomed.Task;

    public byte[] SpectateFrame(string room) =>
        BenchClient.TextFrame(JsonSerializer.Serialize(new { type = "spectate", room, name = $"w{index}" }));

    public async Task ReceiveLoopAsync()
    {
        await client.ReadTextUntilClosedAsync(OnMessage);
        Dropped = Check.Counting;
        _welcomed.TrySetException(new IOException("connection closed before the welcome"));
    }

    private void OnMessage(ReadOnlyMemory<byte> payload)
    {
        var json = payload.Span;
        var seq = GameMessages.SeqOf(json);
        var type = GameMessages.TypeOf(json);
        if (seq >= 0)
        {
            Check.Observe(seq, type.SequenceEqual("snapshot"u8));
            if (Check.Counting && type.SequenceEqual("error"u8))
            {
                Errors++;
                LastError = GameMessages.ErrorText(payload);
            }
            return;
        }
        if (type.SequenceEqual("welcome"u8))
        {
            var seat = GameMessages.ReadSeat(payload);
            if (seat.Spectator)
            {
                _welcomed.TrySetResult();
            }
            else
            {
                _welcomed.TrySetException(new InvalidOperationException("the spectate was answered with a player's welcome"));
            }
        }
        else if (type.SequenceEqual("error"u8))
        {
            Errors++;
            LastError = GameMessages.ErrorText(payload);
            _welcomed.TrySetException(new InvalidOperationException($"spectate refused: {LastError}"));
        }
    }
}
