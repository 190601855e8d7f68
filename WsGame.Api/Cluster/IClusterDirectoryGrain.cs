using System.Collections.Immutable;
using Orleans.Concurrency;

namespace WsGame.Api.Cluster;

/// <summary>
/// The nodes' own reports (name, HTTP address, players, rooms), one grain for the cluster. It holds only what the
/// nodes tell it every few seconds: when its node dies it comes back empty elsewhere and is full again within one
/// interval. Whether a node is alive is not its to say: Orleans' membership says that.
/// </summary>
public interface IClusterDirectoryGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task Report(NodeReport report);

    Task<ImmutableArray<NodeReport>> Reports();
}
