using WsGame.Api.Storage.Records;

namespace WsGame.Api.Storage;

/// <summary>What the game needs of a database: the schema, a profile's lookup, and writes in batches.</summary>
public interface IGameStore
{
    /// <summary>Creates or updates the schema (EF Core migrations); at start-up.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>A profile with its record as counted from the stored matches; null when there is none of that id.</summary>
    Task<StoredProfile?> FindProfileAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a batch in one transaction; a match already stored (a retried batch) is not stored again. Throws
    /// <see cref="WriteRefusedException"/> when the database refused it, anything else when it could not be reached.
    /// </summary>
    Task WriteAsync(IReadOnlyList<StorageWrite> batch, CancellationToken cancellationToken);
}

/// <summary>A stored profile and its record.</summary>
public sealed record StoredProfile(string Id, string TokenHash, string Name, int Rating, int Wins, int Losses);
