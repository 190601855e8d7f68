using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;
using WsGame.Api.Cluster.PostgreSql;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Cluster;

/// <summary>Orleans' membership schema made by the nodes themselves, on a real PostgreSQL server the test starts, a fresh database per test.</summary>
public sealed class PostgresClusterSchemaTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    // What Orleans.Clustering.AdoNet 10.x refuses to start without (its DbStoredQueries), and no more.
    private static readonly string[] ClusteringQueries =
    [
        "CleanupDefunctSiloEntriesKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey",
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
    ];

    private async Task<string> FreshDatabaseAsync()
    {
        var name = $"cluster_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(postgres.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return postgres.ConnectionString(name);
    }

    private static async Task<List<T>> QueryAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetFieldValue<T>(0));
        }
        return rows;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Task<List<string>> QueryKeysAsync(string connectionString) =>
        QueryAsync<string>(connectionString, "SELECT querykey FROM orleansquery ORDER BY querykey");

    private static Task<List<string>> TablesAsync(string connectionString) =>
        QueryAsync<string>(connectionString, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");

    private static async Task AssertCreatedOnceAsync(string connectionString)
    {
        Assert.Equal(["orleansmembershiptable", "orleansmembershipversiontable", "orleansquery"], await TablesAsync(connectionString));
        Assert.Equal(ClusteringQueries.Order(StringComparer.Ordinal), await QueryKeysAsync(connectionString));
        var functions = await QueryAsync<string>(connectionString,
            "SELECT proname::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY proname");
        Assert.Equal(["insert_membership", "insert_membership_version", "update_i_am_alive_time", "update_membership"], functions);
    }

    [Fact]
    public async Task On_a_fresh_database_it_creates_the_membership_tables_functions_and_every_query_Orleans_reads()
    {
        var database = await FreshDatabaseAsync();

        await PostgresClusterSchema.EnsureAsync(database, CancellationToken.None);

        await AssertCreatedOnceAsync(database);
        // The $$-quoted function bodies arrived whole: one runs.
        Assert.Equal([1], await QueryAsync<int>(database, "SELECT row_count FROM insert_membership_version('wsgame')"));
    }

    [Fact]
    public async Task Orleans_own_membership_table_starts_on_the_created_schema_and_stores_a_silo()
    {
        var database = await FreshDatabaseAsync();
        await PostgresClusterSchema.EnsureAsync(database, CancellationToken.None);
        var table = new AdoNetClusteringTable(new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = "schema-test", ServiceId = "wsgame" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = database }),
            NullLogger<AdoNetClusteringTable>.Instance);

        // Orleans reads every stored query here and refuses to start if one it knows of is missing.
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        var empty = await table.ReadAllAsync(CancellationToken.None);
        var silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
        var now = DateTime.UtcNow;
        var entry = new MembershipEntry
        {
            SiloAddress = silo, SiloName = "node-1", HostName = "host-1", Status = SiloStatus.Active, ProxyPort = 30000,
            StartTime = now, IAmAliveTime = now,
        };
        Assert.True(await table.InsertRowAsync(entry, empty.Version.Next(), CancellationToken.None));
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None); // an active silo is kept

        var stored = Assert.Single((await table.ReadAllAsync(CancellationToken.None)).Members).Item1;
        Assert.Equal(silo, stored.SiloAddress);
        Assert.Equal(SiloStatus.Active, stored.Status);
    }

    [Fact]
    public async Task Run_again_on_a_database_that_has_the_schema_it_changes_nothing()
    {
        var database = await FreshDatabaseAsync();
        await PostgresClusterSchema.EnsureAsync(database, CancellationToken.None);
        await ExecuteAsync(database, "SELECT * FROM insert_membership_version('wsgame')");

        await PostgresClusterSchema.EnsureAsync(database, CancellationToken.None);

        await AssertCreatedOnceAsync(database);
        Assert.Equal(["wsgame"], await QueryAsync<string>(database, "SELECT deploymentid FROM orleansmembershipversiontable"));
    }

    [Fact]
    public async Task Three_nodes_starting_at_once_on_a_fresh_database_create_the_schema_once()
    {
        var database = await FreshDatabaseAsync();
        using var start = new Barrier(3);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            await PostgresClusterSchema.EnsureAsync(database, CancellationToken.None);
        })));

        await AssertCreatedOnceAsync(database);
    }

    [Fact]
    public async Task A_database_that_already_has_OrleansQuery_from_another_provider_gets_the_membership_part_only()
    {
        var database = await FreshDatabaseAsync();
        await using (var stream = typeof(PostgresClusterSchema).Assembly.GetManifestResourceStream(PostgresClusterSchema.MainScript)!)
        using (var reader = new StreamReader(stream))
        {
            await ExecuteAsync(database, await reader.ReadToEndAsync());
        }

        await PostgresClusterSchema.EnsureAsync(database, CancellationToken.None);

        await AssertCreatedOnceAsync(database);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_yet_is_created_with_the_schema_even_by_three_nodes_at_once()
    {
        var missing = $"missing_{Guid.NewGuid():N}";

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
            PostgresClusterSchema.EnsureAsync(postgres.ConnectionString(missing), CancellationToken.None))));

        Assert.Single(await QueryAsync<string>(postgres.ConnectionString("postgres"), $"SELECT datname::text FROM pg_database WHERE datname = '{missing}'"));
        Assert.Single(await QueryAsync<string>(postgres.ConnectionString(missing), "SELECT to_regclass('orleansmembershiptable')::text"));
    }
}
