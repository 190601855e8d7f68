using Microsoft.EntityFrameworkCore;
using WsGame.Api.Storage;
using WsGame.Api.Storage.Ef;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Storage;

/// <summary>The store contract on a real PostgreSQL server started by the test run, a fresh database per test.</summary>
public sealed class PostgresGameStoreTests(PostgresServer postgres) : GameStoreContract, IClassFixture<PostgresServer>
{
    protected override Task<IGameStore> CreateStoreAsync()
    {
        var options = new DbContextOptionsBuilder<PostgresGameDbContext>()
            .UseNpgsql(postgres.ConnectionString($"contract_{Guid.NewGuid():N}")).Options;
        return Task.FromResult<IGameStore>(new EfGameStore(() => new PostgresGameDbContext(options)));
    }
}
