using Orleans.Runtime;
using WsGame.Api.Game.Session;

namespace WsGame.Api.Cluster;

/// <summary>
/// The operator's questions and actions for the whole cluster: this node answers for itself at once, every other
/// active node through its <see cref="INodeHub"/>. Nothing here waits longer than <see cref="NodeTimeout"/> on another
/// node: membership is this node's own view of the table (no read of the table per request), the directory and each
/// node are asked with that bound, and a node that does not answer in time (dying, or stalled) is left out.
/// </summary>
internal sealed class ClusterQueries(IGrainFactory grains, IClusterMembershipService membership, NodeReporter self, ILogger<ClusterQueries> logger)
{
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(2);

    private readonly NodeHub _local = self.Hub;

    /// <summary>The members of the cluster as this node last learned them, by silo address.</summary>
    public IReadOnlyCollection<ClusterMember> Members => membership.CurrentSnapshot.Members.Values.ToArray();

    /// <summary>
    /// Every open room of the cluster, each with the name of the node it lives on; without this node's own with
    /// <paramref name="localToo"/> false (for a caller that already looked here).
    /// </summary>
    public async Task<List<(string Node, RoomSummary Room)>> RoomsAsync(bool localToo = true)
    {
        var local = localToo ? _local.Rooms() : Task.FromResult(System.Collections.Immutable.ImmutableArray<RoomSummary>.Empty);
        var others = Others(await ReportsAsync());
        var remote = others.Select(async node => (node.Name, Answer: await Ask(node, hub => hub.Rooms()))).ToArray();
        var rooms = (await local).Select(room => (self.Name, room)).ToList();
        foreach (var (node, answer) in await Task.WhenAll(remote))
        {
            if (answer.Answered)
            {
                rooms.AddRange(answer.Value!.Select(room => (node, room)));
            }
        }
        return rooms;
    }

    /// <summary>
    /// Removes the player wherever its seat is: true when removed, false when no node has it, null when a node that
    /// might have it did not answer in time (the removal may still happen there).
    /// </summary>
    public async Task<bool?> RemoveAsync(string playerId)
    {
        if (await _local.Remove(playerId))
        {
            return true;
        }
        var others = Others(await ReportsAsync());
        // In a cluster an id names its node ("node-2.17"): only that node is asked, when it is known.
        var owner = others.Where(node => playerId.StartsWith(node.Name + ".", StringComparison.Ordinal)).ToArray();
        var answers = await Task.WhenAll((owner.Length > 0 ? owner : others).Select(node => Ask(node, hub => hub.Remove(playerId))));
        if (answers.Any(answer => answer is { Answered: true, Value: true }))
        {
            return true;
        }
        return answers.All(answer => answer.Answered) ? false : null;
    }

    /// <summary>Announces to every room of every node; returns how many members heard it (of the nodes that answered).</summary>
    public async Task<int> AnnounceAsync(string message)
    {
        var local = await _local.Announce(message);
        var answers = await Task.WhenAll(Others(await ReportsAsync()).Select(node => Ask(node, hub => hub.Announce(message))));
        return local + answers.Sum(answer => answer.Value);
    }

    /// <summary>
    /// The active nodes' own reports, this node's read now and the others' as last reported (at most
    /// <see cref="NodeReporter.Interval"/> old): for totals that need no question to every node.
    /// </summary>
    public async Task<NodeReport[]> ActiveReportsAsync()
    {
        var reports = await ReportsAsync();
        return [reports[self.Silo], .. Others(reports)];
    }

    /// <summary>Every node's last report (this node's read now), by silo address; only this node's when the directory does not answer in time.</summary>
    public async Task<Dictionary<string, NodeReport>> ReportsAsync()
    {
        var reports = new Dictionary<string, NodeReport>();
        try
        {
            foreach (var report in await grains.GetGrain<IClusterDirectoryGrain>(0).Reports().WaitAsync(NodeTimeout))
            {
                reports[report.Silo] = report;
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The directory's node may be dying: it is activated elsewhere, and full again within a report interval.
            logger.LogWarning("The cluster's directory did not answer: {Reason}", exception.Message);
        }
        reports[self.Silo] = self.Current();
        return reports;
    }

    /// <summary>Of <paramref name="reports"/>, the other nodes that are active in this node's view of the membership table and have reported their hub.</summary>
    private NodeReport[] Others(Dictionary<string, NodeReport> reports)
    {
        var active = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active)
            .Select(member => member.SiloAddress.ToParsableString())
            .ToHashSet();
        return [.. reports.Values.Where(report => report.Silo != self.Silo && report.Hub is not null && active.Contains(report.Silo))];
    }

    private async Task<(bool Answered, T? Value)> Ask<T>(NodeReport node, Func<INodeHub, Task<T>> question)
    {
        try
        {
            return (true, await question(node.Hub!).WaitAsync(NodeTimeout));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            logger.LogWarning("Node {Node} did not answer for the cluster: {Reason}", node.Name, exception.Message);
            return (false, default);
        }
    }
}
