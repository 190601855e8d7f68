using System.Collections.Immutable;
using WsGame.Api.Game.Session;

namespace WsGame.Api.Cluster;

/// <summary>This node's <see cref="INodeHub"/>: its game session, answering for itself.</summary>
internal sealed class NodeHub(GameSession session) : INodeHub
{
    public async Task<ImmutableArray<RoomSummary>> Rooms() =>
        [.. await Task.WhenAll(session.Rooms.Select(room => room.QueryAsync()))];

    public Task<bool> Remove(string playerId) => Task.FromResult(session.Remove(playerId));

    public Task<int> Announce(string message) => Task.FromResult(session.Announce(message));
}
