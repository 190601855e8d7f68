using WsGame.Api.Game.Rooms;

namespace WsGame.Api.Game.Session;

/// <summary>A room at one moment, copied by the room itself between two inputs (for the API).</summary>
public sealed record RoomSummary(
    string Name,
    bool IsPublic,
    RoundPhase Phase,
    int Round,
    IReadOnlyList<RoomSummary.Seat> Players,
    int Spectators)
{
    /// <summary>A player in the room; <see cref="ConnectedSince"/> is null while its seat is held for it.</summary>
    public sealed record Seat(PlayerSnapshot Player, DateTimeOffset? ConnectedSince, string? ProfileId = null);

    internal static RoomSummary Of(RoomCore core, IReadOnlyDictionary<long, GameClient> clients)
    {
        var seats = new List<Seat>(core.Seats.Count);
        foreach (var player in core.Rules.Players)
        {
            var member = core.Seats.FirstOrDefault(seat => seat.Id == player.Id);
            DateTimeOffset? since = member is { Connected: true } && clients.TryGetValue(member.Connection, out var client) ? client.ConnectedAt : null;
            seats.Add(new Seat(player.Snapshot(), since, member?.Profile?.Id));
        }
        return new RoomSummary(core.Name, core.IsPublic, core.Rules.Phase, core.Rules.Round, seats, core.Spectators.Count);
    }
}
