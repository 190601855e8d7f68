using Microsoft.EntityFrameworkCore;
using WsGame.Api.Storage.Records;

namespace WsGame.Api.Storage.Ef;

/// <summary>
/// The model, shared by both providers. Migrations belong to one provider each, so each has its own context
/// (<see cref="SqliteGameDbContext"/>, <see cref="PostgresGameDbContext"/>) with its own migrations folder.
/// </summary>
public abstract class GameDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ProfileRecord> Profiles => Set<ProfileRecord>();

    public DbSet<MatchRecord> Matches => Set<MatchRecord>();

    public DbSet<MatchPlayerRecord> MatchPlayers => Set<MatchPlayerRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ProfileRecord>(profile =>
        {
            profile.ToTable("profiles");
            profile.HasKey(p => p.Id);
            profile.Property(p => p.Id).HasMaxLength(ProfileTokens.IdLength);
            profile.Property(p => p.TokenHash).HasMaxLength(64);
            profile.Property(p => p.Name).HasMaxLength(256);
            profile.HasIndex(p => p.Rating); // the leaderboard
        });
        modelBuilder.Entity<MatchRecord>(match =>
        {
            match.ToTable("matches");
            match.HasKey(m => m.Id);
            match.Property(m => m.Id).HasMaxLength(ProfileTokens.IdLength);
            match.Property(m => m.Room).HasMaxLength(256);
            match.Property(m => m.Reason).HasMaxLength(16);
            match.Property(m => m.WinnerProfileId).HasMaxLength(ProfileTokens.IdLength);
            match.HasIndex(m => m.WinnerProfileId); // wins
            match.HasIndex(m => m.EndedAt);
            match.HasMany(m => m.Players).WithOne().HasForeignKey(p => p.MatchId);
        });
        modelBuilder.Entity<MatchPlayerRecord>(player =>
        {
            player.ToTable("match_players");
            player.HasKey(p => new { p.MatchId, p.Position });
            player.Property(p => p.MatchId).HasMaxLength(ProfileTokens.IdLength);
            player.Property(p => p.ProfileId).HasMaxLength(ProfileTokens.IdLength);
            player.Property(p => p.PlayerId).HasMaxLength(64);
            player.Property(p => p.Name).HasMaxLength(256);
            player.Property(p => p.Sprite).HasMaxLength(64);
            player.HasIndex(p => p.ProfileId); // a profile's matches, losses
        });
    }
}
