using Microsoft.EntityFrameworkCore;

namespace WsGame.Api.Storage.Ef;

/// <summary>The model on SQLite: the default, a file in the data folder.</summary>
public sealed class SqliteGameDbContext(DbContextOptions<SqliteGameDbContext> options) : GameDbContext(options);
