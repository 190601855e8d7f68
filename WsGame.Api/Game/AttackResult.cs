namespace WsGame.Api.Game;

/// <summary>
/// What an attack did: refused (and why), or accepted with the players it hit, possibly ending the round.
/// </summary>
public sealed record AttackResult(AttackRefusal Refusal, IReadOnlyList<Hit> Hits)
{
    internal static AttackResult Refuse(AttackRefusal refusal) => new(refusal, []);

    public bool Accepted => Refusal == AttackRefusal.None;

    /// <summary>Ids of the players this attack knocked out, in slot order.</summary>
    public IReadOnlyList<string> KnockedOut => [.. Hits.Where(hit => hit.KnockedOut).Select(hit => hit.VictimId)];

    /// <summary>Set by <see cref="RoomRules.Attack"/> when this attack left one player standing.</summary>
    public RoundEnd? RoundEnded { get; init; }
}

/// <summary>One victim of an attack, with the energy it has left.</summary>
public readonly record struct Hit(string VictimId, int Energy, bool KnockedOut);

/// <summary>Why an attack was not carried out.</summary>
public enum AttackRefusal
{
    None,

    /// <summary>The attacker is knocked out.</summary>
    KnockedOut,

    /// <summary>Less than <see cref="GameOptions.AttackCooldown"/> since the attacker's last accepted attack.</summary>
    CoolingDown,

    /// <summary>The round has ended; attacks wait for the rematch.</summary>
    RoundOver,

    /// <summary>Fewer than two players are in the room, so no round is on.</summary>
    WaitingForPlayers,

    /// <summary>No player with that id is in the room.</summary>
    UnknownPlayer,
}
