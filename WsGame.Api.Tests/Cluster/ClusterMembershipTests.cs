using WsGame.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WsGame.Api.Tests.Cluster;

/// <summary>Three real nodes on a shared membership table, as an operator runs them: what each says of the cluster.</summary>
public abstract class ClusterMembershipTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ClusterNodes _nodes = null!;

    /// <summary>Starts the membership table's server; returns the nodes' settings for it.</summary>
    protected abstract Task<string[]> StartMembershipAsync();

    protected abstract Task StopMembershipAsync();

    public async Task InitializeAsync()
    {
        try
        {
            _nodes = new ClusterNodes(3, await StartMembershipAsync());
            await _nodes.StartAsync();
        }
        catch
        {
            // xunit does not dispose a class whose start failed: end what did start, by PID, here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
        await StopMembershipAsync();
    }

    [Fact]
    public async Task Every_node_lists_every_node_with_its_address_as_active()
    {
        await ClusterNodes.UntilAsync(async () =>
        {
            for (var node = 1; node <= 3; node++)
            {
                var listed = await _nodes.ListedByAsync(node);
                if (listed.Count != 3 || Enumerable.Range(1, 3).Any(other =>
                        !listed.TryGetValue(_nodes.Name(other), out var entry) || entry.State != "Active" || entry.Url != _nodes.Url(other)))
                {
                    return false;
                }
            }
            return true;
        }, TimeSpan.FromSeconds(60), $"three active nodes listed by each\n{_nodes}");
    }

    [Fact]
    public async Task A_killed_node_is_declared_dead_on_the_others_within_ten_seconds()
    {
        await ClusterNodes.UntilAsync(async () => (await _nodes.ListedByAsync(1)).Values.Count(entry => entry.State == "Active") == 3,
            TimeSpan.FromSeconds(60), $"three active nodes\n{_nodes}");

        _nodes.Kill(2);
        var took = await ClusterNodes.UntilAsync(async () => (await _nodes.ListedByAsync(1))[_nodes.Name(2)].State == "Dead",
            TimeSpan.FromSeconds(30), $"node-2 declared dead\n{_nodes}");

        output.WriteLine($"node-2 declared dead by node-1 {took.TotalSeconds:F1} s after kill -9");
        Assert.True(took < TimeSpan.FromSeconds(10), $"node-2 was declared dead only after {took.TotalSeconds:F1} s");
        var third = await _nodes.ListedByAsync(3);
        Assert.Equal("Dead", third[_nodes.Name(2)].State);
        Assert.Equal("Active", third[_nodes.Name(1)].State);
    }
}

/// <summary>Membership in a Redis server the test starts.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisClusterMembershipTests(ITestOutputHelper output) : ClusterMembershipTests(output)
{
    private readonly RedisServer _redis = new();

    protected override async Task<string[]> StartMembershipAsync()
    {
        await _redis.InitializeAsync();
        return ["--WsGame:Cluster:Provider=Redis", "--WsGame:Cluster:ConnectionString=" + _redis.ConnectionString];
    }

    protected override Task StopMembershipAsync() => _redis.DisposeAsync();
}

/// <summary>Membership in the profiles' PostgreSQL database (no connection string of its own), on a server the test starts.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresClusterMembershipTests(ITestOutputHelper output) : ClusterMembershipTests(output)
{
    private readonly PostgresServer _postgres = new();

    protected override async Task<string[]> StartMembershipAsync()
    {
        await _postgres.InitializeAsync();
        return ["--WsGame:Cluster:Provider=PostgreSQL", "--WsGame:Storage:Provider=PostgreSQL",
            "--ConnectionStrings:WsGame=" + _postgres.ConnectionString("wsgame")];
    }

    protected override Task StopMembershipAsync() => _postgres.DisposeAsync();
}
