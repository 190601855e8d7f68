using Microsoft.Data.Sqlite;
using Npgsql;

namespace WsGame.Api.Storage.Ef;

/// <summary>Tells a write the database refused from a database that could not be reached, for each provider.</summary>
internal static class StorageErrors
{
    // SQLite's result codes (sqlite.org/rescode.html): SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_TOOBIG, SQLITE_RANGE.
    private static readonly int[] SqliteRefusals = [19, 20, 18, 25];

    /// <summary>
    /// A PostgreSQL error of class 22 (data exception), 23 (integrity constraint) or 42 (a statement it cannot
    /// run), or SQLite's equivalents. Anything else (a socket, a timeout, a server going down or busy) is an outage.
    /// </summary>
    public static bool IsRefusal(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres when postgres.SqlState.StartsWith("22", StringComparison.Ordinal)
                    || postgres.SqlState.StartsWith("23", StringComparison.Ordinal) || postgres.SqlState.StartsWith("42", StringComparison.Ordinal):
                    return true;
                case SqliteException sqlite when SqliteRefusals.Contains(sqlite.SqliteErrorCode):
                    return true;
            }
        }
        return false;
    }
}
