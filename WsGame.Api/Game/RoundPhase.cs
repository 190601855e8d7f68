namespace WsGame.Api.Game;

/// <summary>Where a room is in its cycle of rounds.</summary>
public enum RoundPhase
{
    /// <summary>Fewer than two players: they may walk about, nobody can attack. The next join starts a round.</summary>
    Waiting,

    /// <summary>At least two players are standing and fighting.</summary>
    Live,

    /// <summary>One player is left standing; the room waits for every player to ask for a rematch.</summary>
    Over,
}
