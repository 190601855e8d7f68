namespace WsGame.Api.Game.Rooms;

/// <summary>The words of the room's refusals and errors, in one place (docs/protocol.md quotes them).</summary>
public static class RoomTexts
{
    /// <summary>The seed's answer for a full room.</summary>
    public const string RoomFull = "Many peoples";

    public const string CannotResume = "Cannot resume: the token is unknown, already used, or its seat has expired.";

    public const string SpectatorsCannotPlay = "Spectators cannot move or attack.";

    public const string NoRematchYet = "No rematch yet: the round is not over.";

    public static string TooManySpectators(int max) =>
        max == 0 ? "This server admits no spectators." : $"This room already has {max} spectators.";

    public static string InvalidName(GameOptions options) =>
        $"Invalid field 'name': 1-{options.MaxNameLength} characters, no control characters.";
}
