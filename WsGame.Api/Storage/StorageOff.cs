using Microsoft.Extensions.Diagnostics.HealthChecks;
using WsGame.Api.Game.Results;

namespace WsGame.Api.Storage;

/// <summary>
/// Storage on a server whose <c>WsGame:Storage:Provider</c> is <c>None</c>: joins get no profile, ended rounds go
/// nowhere, no database or folder is made, health says so, and every read of the records API says why it has
/// nothing (a load test, or a throwaway server).
/// </summary>
internal sealed class StorageOff : IRecordsReader, IProfiles, IMatchRecorder, IHostedService, IHealthCheck
{
    public const string Explanation = "Storage is off (WsGame:Storage:Provider is None): no profiles or match records are kept.";

    public ValueTask<PlayerProfile?> ForJoinAsync(string? token, string name, CancellationToken cancellationToken) => ValueTask.FromResult<PlayerProfile?>(null);

    public void Record(MatchResult match, DateTime endedAt)
    {
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(Explanation));

    public Task<IReadOnlyList<LeaderboardEntry>> LeaderboardAsync(int top, CancellationToken cancellationToken) => throw new StorageOffException();

    public Task<ProfileView?> ProfileAsync(string id, int lastMatches, CancellationToken cancellationToken) => throw new StorageOffException();

    public Task<bool> ProfileExistsAsync(string id, CancellationToken cancellationToken) => throw new StorageOffException();

    public Task<IReadOnlyList<MatchView>> MatchesAsync(string? profileId, int limit, CancellationToken cancellationToken) => throw new StorageOffException();

    public Task<MatchView?> MatchAsync(string id, CancellationToken cancellationToken) => throw new StorageOffException();
}

/// <summary>A read of records on a server that keeps none (see <see cref="StorageOff"/>).</summary>
public sealed class StorageOffException() : InvalidOperationException(StorageOff.Explanation);
