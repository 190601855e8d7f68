namespace WsGame.Api.Game;

/// <summary>
/// What a player's sprite shows. The member names are the wire spelling. <see cref="ATTACK"/> is set by
/// the rules when an attack is accepted; a client cannot claim it through a move.
/// </summary>
public enum PlayerStatus
{
    STAY,
    MOVE,
    ATTACK,
}
