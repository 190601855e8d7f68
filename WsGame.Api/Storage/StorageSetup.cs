using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WsGame.Api.Game.Results;
using WsGame.Api.Hosting;
using WsGame.Api.Storage.Ef;

namespace WsGame.Api.Storage;

public static class StorageSetup
{
    /// <summary>
    /// Profiles and match records: SQLite in the data folder by default, PostgreSQL when configured; the game
    /// reaches them only through <see cref="IProfiles"/> and <see cref="IMatchRecorder"/>, and a background
    /// writer. Registered before the game, so the writer stops after it and can store the last results.
    /// </summary>
    /// <remarks>
    /// With <c>Provider=None</c> the same services are stand-ins that keep nothing (<see cref="StorageOff"/>), chosen
    /// when first resolved, from the options as bound then: nothing about the database is made, not even its folder.
    /// </remarks>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<StorageOptions>(StorageOptions.SectionName);
        services.AddSingleton<IValidateOptions<StorageOptions>, ProviderSettingsValidator>();
        services.AddSingleton(provider => CreateContextFactory(provider));
        services.AddSingleton<EfGameStore>();
        services.AddSingleton<IGameStore>(provider => provider.GetRequiredService<EfGameStore>());
        services.AddSingleton(provider => new ResultQueue(provider.GetRequiredService<IOptions<StorageOptions>>().Value.QueueCapacity));
        services.AddSingleton<PendingResults>();
        services.AddSingleton<MatchRecorder>();
        services.AddSingleton<ProfileDirectory>();
        services.AddSingleton<ResultWriter>();
        services.AddSingleton<StorageHealthCheck>();
        services.AddSingleton<StorageOff>();
        services.AddSingleton<IRecordsReader>(provider => Off(provider) ? provider.GetRequiredService<StorageOff>() : provider.GetRequiredService<EfGameStore>());
        services.AddSingleton<IMatchRecorder>(provider => Off(provider) ? provider.GetRequiredService<StorageOff>() : provider.GetRequiredService<MatchRecorder>());
        services.AddSingleton<IProfiles>(provider => Off(provider) ? provider.GetRequiredService<StorageOff>() : provider.GetRequiredService<ProfileDirectory>());
        services.AddSingleton<IHostedService>(provider => Off(provider) ? provider.GetRequiredService<StorageOff>() : provider.GetRequiredService<ResultWriter>());
        // Resolved on every health request: a lookup of a singleton either way.
        services.AddHealthChecks().Add(new HealthCheckRegistration("storage",
            provider => Off(provider) ? provider.GetRequiredService<StorageOff>() : provider.GetRequiredService<StorageHealthCheck>(), failureStatus: null, tags: null));
        return services;
    }

    private static bool Off(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.None;

    private static Func<GameDbContext> CreateContextFactory(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (options.Provider == StorageProvider.PostgreSQL)
        {
            var connection = provider.GetRequiredService<IConfiguration>().GetConnectionString(StorageOptions.ConnectionStringName)!;
            var postgres = new DbContextOptionsBuilder<PostgresGameDbContext>().UseNpgsql(connection).Options;
            return () => new PostgresGameDbContext(postgres);
        }
        var folder = Path.GetFullPath(options.DataDirectory, provider.GetRequiredService<IHostEnvironment>().ContentRootPath);
        Directory.CreateDirectory(folder);
        // WAL: the API's reads and a join's lookup do not wait for the writer's transaction, nor it for them.
        var sqlite = new DbContextOptionsBuilder<SqliteGameDbContext>()
            .UseSqlite($"Data Source={Path.Combine(folder, "wsgame.db")};Pooling=True")
            .AddInterceptors(new SqliteWalInterceptor())
            .Options;
        return () => new SqliteGameDbContext(sqlite);
    }

    /// <summary>The connection string PostgreSQL needs, named in the message when it is missing.</summary>
    private sealed class ProviderSettingsValidator(IConfiguration configuration) : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
            options.Provider == StorageProvider.PostgreSQL && string.IsNullOrWhiteSpace(configuration.GetConnectionString(StorageOptions.ConnectionStringName))
                ? ValidateOptionsResult.Fail(
                    $"Setting ConnectionStrings:{StorageOptions.ConnectionStringName} is required when {StorageOptions.SectionName}:Provider is PostgreSQL " +
                    "(for example Host=127.0.0.1;Port=5432;Username=wsgame;Password=...;Database=wsgame).")
                : ValidateOptionsResult.Success;
    }
}
