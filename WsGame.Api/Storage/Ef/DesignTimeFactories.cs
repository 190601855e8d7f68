using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WsGame.Api.Storage.Ef;

// For `dotnet ef migrations add` only (see docs in README, "Storage"): the tool builds each context from
// these, without starting the app. The connection strings are never opened.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteGameDbContext>
{
    public SqliteGameDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteGameDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGameDbContext>
{
    public PostgresGameDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresGameDbContext>().UseNpgsql("Host=127.0.0.1;Database=wsgame").Options);
}
