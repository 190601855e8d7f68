using Orleans.Runtime;

namespace WsGame.Api.Cluster;

/// <summary>
/// The operator's questions and actions for the whole cluster: this node answers for itself at once, every other
/// active node through its <see cref="INodeHub"/>. A node that does not answer within <see cref="NodeTimeout"/> (dying,
/// or stalled) is left out rather than allowed to hold up the answer.
/// </summary>
internal sealed class ClusterQueries(IGrainFactory grains, NodeReporter self, ILogger<ClusterQueries> logger)
{
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(2);

    private readonly NodeHub _local = self.Hub;

    /// <summary>Every open room of the cluster, each with the name of the node it lives on.</summary>
    public async Task<List<(string Node, Game.Session.RoomSummary Room)>> RoomsAsync()
    {
        var here = self.Current().Name;
        var local = _local.Rooms();
        var others = await OthersAsync();
        var remote = others.Select(async node => (node.Name, Rooms: await Ask(node, hub => hub.Rooms(), []))).ToArray();
        var rooms = (await local).Select(room => (here, room)).ToList();
        foreach (var (node, answer) in await Task.WhenAll(remote))
        {
            rooms.AddRange(answer.Select(room => (node, room)));
        }
        return rooms;
    }

    /// <summary>Removes the player wherever its seat is; false when no node has it.</summary>
    public async Task<bool> RemoveAsync(string playerId)
    {
        if (await _local.Remove(playerId))
        {
            return true;
        }
        var answers = await Task.WhenAll((await OthersAsync()).Select(node => Ask(node, hub => hub.Remove(playerId), false)));
        return answers.Any(removed => removed);
    }

    /// <summary>Announces to every room of every node; returns how many members heard it.</summary>
    public async Task<int> AnnounceAsync(string message)
    {
        var local = await _local.Announce(message);
        var answers = await Task.WhenAll((await OthersAsync()).Select(node => Ask(node, hub => hub.Announce(message), 0)));
        return local + answers.Sum();
    }

    /// <summary>
    /// The active nodes' own reports, this node's read now and the others' as last reported (at most
    /// <see cref="NodeReporter.Interval"/> old): for totals that need no question to every node.
    /// </summary>
    public async Task<NodeReport[]> ActiveReportsAsync() => [self.Current(), .. await OthersAsync()];

    /// <summary>The other nodes that are active in the membership table and have reported their hub.</summary>
    private async Task<NodeReport[]> OthersAsync()
    {
        var active = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var silos = active.Keys.Select(silo => silo.ToParsableString()).ToHashSet();
        var reports = await grains.GetGrain<IClusterDirectoryGrain>(0).Reports();
        return [.. reports.Where(report => report.Silo != self.Silo && report.Hub is not null && silos.Contains(report.Silo))];
    }

    private async Task<T> Ask<T>(NodeReport node, Func<INodeHub, Task<T>> question, T otherwise)
    {
        try
        {
            return await question(node.Hub!).WaitAsync(NodeTimeout);
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansException or SiloUnavailableException)
        {
            logger.LogWarning("Node {Node} did not answer for the cluster: {Reason}", node.Name, exception.Message);
            return otherwise;
        }
    }
}
