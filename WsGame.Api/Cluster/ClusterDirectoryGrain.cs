using System.Collections.Immutable;

namespace WsGame.Api.Cluster;

internal sealed class ClusterDirectoryGrain : Grain, IClusterDirectoryGrain
{
    // A node that stopped reporting this long ago, and is no longer in the membership table either, is forgotten.
    private static readonly TimeSpan Forgotten = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, NodeReport> _bySilo = [];

    public Task Report(NodeReport report)
    {
        _bySilo[report.Silo] = report;
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<NodeReport>> Reports()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var stale in _bySilo.Values.Where(report => now - report.At > Forgotten).ToArray())
        {
            _bySilo.Remove(stale.Silo);
        }
        return Task.FromResult(_bySilo.Values.ToImmutableArray());
    }
}
