using System.Collections.Immutable;
using WsGame.Api.Game.Session;

namespace WsGame.Api.Cluster;

/// <summary>
/// One node as the others reach it: an Orleans observer each node makes of itself and hands to the directory with its
/// reports, so that any node can answer the operator's API for the whole cluster (its rooms, a player's removal, an
/// announcement) by asking every other node.
/// </summary>
public interface INodeHub : IGrainObserver
{
    /// <summary>The rooms open on this node, each as it is between two of its inputs.</summary>
    Task<ImmutableArray<RoomSummary>> Rooms();

    /// <summary>Removes the player with this id if its seat is on this node; false otherwise.</summary>
    Task<bool> Remove(string playerId);

    /// <summary>Announces to every room of this node; returns how many members heard it.</summary>
    Task<int> Announce(string message);
}
