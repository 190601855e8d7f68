using System.ComponentModel.DataAnnotations;

namespace WsGame.Api.Storage;

/// <summary>Where profiles and match records are kept, bound from <c>WsGame:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "WsGame:Storage";

    /// <summary>The name of the connection string PostgreSQL uses (<c>ConnectionStrings:WsGame</c>).</summary>
    public const string ConnectionStringName = "WsGame";

    /// <summary>
    /// <c>Sqlite</c> (a file in <see cref="DataDirectory"/>, needs nothing else), <c>PostgreSQL</c> (a cluster's shared
    /// store) or <c>None</c> (nothing kept: no profiles, no records; for a load test or a throwaway server).
    /// </summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>SQLite's folder, created on first run; relative paths are from the app's folder.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Results that may wait for the database (an outage's worth); past it new ones are dropped and counted.</summary>
    [Range(1, 10_000_000)]
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Results written in one transaction, at most.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>How long a join waits for its profile before it plays under the profile its token names, unchecked.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two tries of a write that failed (the wait doubles from 100 ms up to this).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a graceful stop waits for the queue to be written.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan FlushTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

public enum StorageProvider
{
    Sqlite,
    PostgreSQL,
    None,
}
