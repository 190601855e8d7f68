namespace WsGame.Api.Game.Rooms;

/// <summary>
/// What one step of a room asks to be done, in order: messages to put in members' streams (with the number each
/// gets), answers to connections outside any stream (welcomes, refusals), and connections to close. The host
/// frames each message once, however many sends name it. Reused from step to step: the host clears it.
/// </summary>
public sealed class RoomOutbox
{
    public List<RoomMessage> Messages { get; } = [];

    public List<RoomSend> Sends { get; } = [];

    /// <summary>Rounds that ended in this step, to be recorded.</summary>
    public List<Results.MatchResult> Matches { get; } = [];

    /// <summary>Ids of the players whose seats were given up in this step.</summary>
    public List<string> ReleasedSeats { get; } = [];

    /// <summary>Player seats given up in this step (leaves, expired graces, removals, refused joins and resumes that never sat).</summary>
    public int SeatsReleased { get; set; }

    /// <summary>Spectators who went in this step, or were refused.</summary>
    public int SpectatorsReleased { get; set; }

    public int RoundsStarted { get; set; }

    public int KnockOuts { get; set; }

    /// <summary>Errors answered in this step.</summary>
    public int Errors { get; set; }

    /// <summary>True when the step asked for nothing at all (most moves, until the tick).</summary>
    public bool IsEmpty =>
        Messages.Count == 0 && Sends.Count == 0 && Matches.Count == 0 && ReleasedSeats.Count == 0
        && SeatsReleased == 0 && SpectatorsReleased == 0 && RoundsStarted == 0 && KnockOuts == 0 && Errors == 0;

    public void Clear()
    {
        Messages.Clear();
        Sends.Clear();
        ReleasedSeats.Clear();
        Matches.Clear();
        SeatsReleased = 0;
        SpectatorsReleased = 0;
        RoundsStarted = 0;
        KnockOuts = 0;
        Errors = 0;
    }

    internal int Add(RoomMessage message)
    {
        Messages.Add(message);
        return Messages.Count - 1;
    }
}

public enum RoomSendKind : byte
{
    /// <summary>
    /// Message <see cref="RoomSend.Message"/> to <see cref="RoomSend.Member"/>, numbered <see cref="RoomSend.Seq"/>; it is
    /// the room's message number <see cref="RoomSend.History"/>, which the host keeps to send again.
    /// </summary>
    Deliver,
    /// <summary>
    /// The room's message number <see cref="RoomSend.History"/>, sent before, again to <see cref="RoomSend.Member"/>
    /// with the number <see cref="RoomSend.Seq"/> it had in that member's stream (a resume's replay).
    /// </summary>
    Replay,
    /// <summary>Message <see cref="RoomSend.Message"/> to connection <see cref="RoomSend.Connection"/>, unnumbered.</summary>
    Reply,
    /// <summary>Close connection <see cref="RoomSend.Connection"/> with <see cref="RoomSend.CloseCode"/>.</summary>
    Close,
}

/// <summary>One thing to send or do; see <see cref="RoomSendKind"/>.</summary>
public readonly record struct RoomSend(
    RoomSendKind Kind, int Message, RoomMember? Member, long Seq, long Connection, int CloseCode = 0, string? Reason = null, long History = -1);
