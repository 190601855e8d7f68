using System.Data;
using Npgsql;

namespace WsGame.Api.Cluster.PostgreSql;

/// <summary>
/// Creates what Orleans' ADO.NET membership needs in a PostgreSQL database (its tables, functions and the stored
/// queries in OrleansQuery) when the database does not have it yet. The scripts are Orleans' own, embedded next to
/// this file: Orleans assumes they were run and ships them only in its source repository.
/// </summary>
internal static class PostgresClusterSchema
{
    public const string MainScript = "WsGame.Api.Cluster.PostgreSql.PostgreSQL-Main.sql";
    public const string ClusteringScript = "WsGame.Api.Cluster.PostgreSql.PostgreSQL-Clustering.sql";

    // Any constant works as long as every node uses the same one; this is "WsGameOr" in ASCII, unlikely to be
    // another application's advisory lock in a shared database.
    private const long SchemaLock = 0x5773_4761_6D65_4F72;

    public static async Task EnsureAsync(string connectionString, CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await OpenAsync(connection, cancellation);
        // PostgreSQL's DDL is transactional: a node killed half-way leaves nothing behind, so a later start sees no
        // tables and runs the whole script again instead of tripping over half of it.
        // Read committed whatever the server's default: under repeatable read the snapshot would be taken as the
        // lock is asked for, and a node that waited would not see the tables the node before it committed.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellation);
        // Orleans' scripts are not idempotent (plain CREATE TABLE, CREATE FUNCTION, INSERT INTO OrleansQuery): nodes
        // starting together take turns, the lock held until each one commits.
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLock})", cancellation);
        // Checked apart: OrleansQuery may already be there from another Orleans provider's scripts (reminders,
        // persistence) run by hand on the same database, without the membership tables.
        if (!await TableExistsAsync(connection, transaction, "orleansquery", cancellation))
        {
            await ExecuteAsync(connection, transaction, await ReadScriptAsync(MainScript, cancellation), cancellation);
        }
        if (!await TableExistsAsync(connection, transaction, "orleansmembershiptable", cancellation))
        {
            await ExecuteAsync(connection, transaction, await ReadScriptAsync(ClusteringScript, cancellation), cancellation);
        }
        await transaction.CommitAsync(cancellation);
    }

    /// <summary>
    /// Opens the connection, creating its database first when it does not exist yet. On the profiles' database the
    /// cluster comes first: the silo joins before storage's migration (which would create it) has run, and that
    /// migration, under the same user, creates it the same way when it is still missing.
    /// </summary>
    private static async Task OpenAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        try
        {
            await connection.OpenAsync(cancellation);
            return;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            await CreateDatabaseAsync(connection.ConnectionString, connection.Database, cancellation);
        }
        await connection.OpenAsync(cancellation);
    }

    private static async Task CreateDatabaseAsync(string connectionString, string database, CancellationToken cancellation)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellation);
        var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var command = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellation);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another node starting at the same moment created it first.
        }
    }

    // Unqualified, as in Orleans' scripts and queries: the tables are where the search path puts them.
    private static async Task<bool> TableExistsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection, transaction);
        command.Parameters.AddWithValue("table", table);
        return (bool)(await command.ExecuteScalarAsync(cancellation))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    private static async Task<string> ReadScriptAsync(string resource, CancellationToken cancellation)
    {
        await using var stream = typeof(PostgresClusterSchema).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing from {typeof(PostgresClusterSchema).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellation);
    }
}
