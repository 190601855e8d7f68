namespace WsGame.Api.Game;

/// <summary>The outcome of <see cref="RoomRules.Join"/>.</summary>
/// <param name="Refusal">Why the player was not added; <see cref="JoinRefusal.None"/> when it was.</param>
/// <param name="Player">The new player, placed at its slot's spawn point; null when refused.</param>
/// <param name="RoundStarted">This join made the second player, so a new round began and everyone was reset.</param>
public sealed record JoinResult(JoinRefusal Refusal, PlayerState? Player, bool RoundStarted)
{
    public bool Accepted => Refusal == JoinRefusal.None;
}

public enum JoinRefusal
{
    None,

    /// <summary>All <see cref="GameOptions.RoomCapacity"/> slots are taken.</summary>
    RoomFull,

    /// <summary>A player with this id is already in the room.</summary>
    DuplicateId,

    /// <summary>The name is empty or blank, longer than <see cref="GameOptions.MaxNameLength"/>, or has control characters.</summary>
    InvalidName,
}

/// <summary>The outcome of <see cref="RoomRules.Leave"/>.</summary>
/// <param name="Removed">False when no such player was in the room.</param>
/// <param name="RoundEnded">Set when the leaver was the last opponent standing.</param>
/// <param name="RoundStarted">The leaver was the last one the others waited on for a rematch, so a new round began.</param>
public sealed record LeaveResult(bool Removed, RoundEnd? RoundEnded, bool RoundStarted);

/// <summary>The outcome of <see cref="RoomRules.Rematch"/>.</summary>
/// <param name="Refusal">Why the request was not recorded; <see cref="RematchRefusal.None"/> when it was.</param>
/// <param name="RoundStarted">This was the last request needed: a new round began and everyone was reset.</param>
/// <param name="WaitingFor">Ids of the players who have not asked yet, in slot order; empty once the round started.</param>
public sealed record RematchResult(RematchRefusal Refusal, bool RoundStarted, IReadOnlyList<string> WaitingFor)
{
    public bool Accepted => Refusal == RematchRefusal.None;
}

public enum RematchRefusal
{
    None,

    /// <summary>Only a finished round (<see cref="RoundPhase.Over"/>) can be replayed.</summary>
    RoundNotOver,

    /// <summary>No player with that id is in the room.</summary>
    UnknownPlayer,
}
