using Orleans.Configuration;

namespace WsGame.Api.Cluster;

/// <summary>
/// How fast the cluster declares a node dead. Orleans' defaults (a probe every 5 s, three missed, then the votes)
/// take 15 to 30 s; a duel whose opponent's node died must hear of it within 10 s. A node is probed every 2 s by
/// three others; two missed probes make it suspect and two suspicions declare it dead. Measured on one machine: a
/// killed node (its port refuses at once) is Dead 2 to 4 s later, but a stalled one (SIGSTOP, like a lost host or a
/// partition, where probes time out instead) took about 16 s. The cost is a probe a node pair every 2 s, and a node
/// that stalls for several seconds (a long pause, a starved VM) is declared dead and must restart.
/// </summary>
internal static class MembershipTiming
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static void Apply(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = 2;
        options.NumProbedSilos = 3;
        options.NumVotesForDeathDeclaration = 2;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }
}
