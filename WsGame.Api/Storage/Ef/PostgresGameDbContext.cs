using Microsoft.EntityFrameworkCore;

namespace WsGame.Api.Storage.Ef;

/// <summary>The model on PostgreSQL: the store a cluster of WsGame servers shares.</summary>
public sealed class PostgresGameDbContext(DbContextOptions<PostgresGameDbContext> options) : GameDbContext(options);
