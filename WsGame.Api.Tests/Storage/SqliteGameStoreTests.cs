using Microsoft.EntityFrameworkCore;
using WsGame.Api.Storage;
using WsGame.Api.Storage.Ef;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Storage;

/// <summary>The store contract on SQLite, a file in a fresh folder.</summary>
public sealed class SqliteGameStoreTests : GameStoreContract
{
    private readonly TestDataDirectory _data = new();

    protected override Task<IGameStore> CreateStoreAsync()
    {
        Directory.CreateDirectory(_data.Path);
        var options = new DbContextOptionsBuilder<SqliteGameDbContext>().UseSqlite($"Data Source={Path.Combine(_data.Path, "test.db")}").Options;
        return Task.FromResult<IGameStore>(new EfGameStore(() => new SqliteGameDbContext(options)));
    }

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
        return Task.CompletedTask;
    }
}
