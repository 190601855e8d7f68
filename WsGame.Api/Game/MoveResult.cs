namespace WsGame.Api.Game;

/// <summary>
/// The authoritative position after a move request. <see cref="Corrected"/> is true when it differs from
/// what the client asked for, so the session should tell that client where it really is.
/// </summary>
public readonly record struct MoveResult(int Left, int Top, bool Corrected, MoveRefusal Refusal = MoveRefusal.None)
{
    public bool Refused => Refusal != MoveRefusal.None;
}

/// <summary>Why a move was not carried out at all.</summary>
public enum MoveRefusal
{
    None,

    /// <summary>Knocked-out players stay where they fell until the next round.</summary>
    KnockedOut,

    /// <summary>No player with that id is in the room; the position in the result means nothing.</summary>
    UnknownPlayer,
}
