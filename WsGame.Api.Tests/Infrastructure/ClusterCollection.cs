namespace WsGame.Api.Tests.Infrastructure;

/// <summary>
/// Tests that run a cluster of real server processes and time what its membership does (a dead node declared
/// within 10 s): one at a time, after the parallel tests, so that the other tests' load on two cores does not
/// starve the nodes' probes and turn a timing the cluster keeps into one the test machine broke.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster processes, one test at a time";
}
