using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using WsGame.Api.Storage;

namespace WsGame.Api.Api;

/// <summary>
/// <c>/api/leaderboard</c>, <c>/api/profiles/{id}</c> and <c>/api/matches</c>: what storage keeps of players and
/// their rounds. A bad parameter answers 400, an unknown id 404, a database that cannot answer 503, all as
/// problem details.
/// </summary>
public static class RecordsEndpoints
{
    private const int DefaultCount = 20;
    private const int MaxCount = 100;
    private const int ProfileMatches = 10;

    public static RouteGroupBuilder MapRecordsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/leaderboard", Leaderboard)
            .WithTags("Records")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("GetLeaderboard")
            .WithSummary("The best rated profiles")
            .WithDescription("Profiles that have played at least one round, by rating, best first. top: 1 to 100, default 20.");
        api.MapGet("/profiles/{id}", Profile)
            .WithTags("Records")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("GetProfile")
            .WithSummary("One profile, its record and its last matches")
            .WithDescription($"The profile's last name, rating, wins, losses, current streak and its last {ProfileMatches} matches; 404 when there is no such profile.");
        api.MapGet("/matches", Matches)
            .WithTags("Records")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ListMatches")
            .WithSummary("The latest matches")
            .WithDescription("Latest first; of one profile with profile=ID (404 when there is no such profile). limit: 1 to 100, default 20.");
        api.MapGet("/matches/{id}", Match)
            .WithTags("Records")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("GetMatch")
            .WithSummary("One match")
            .WithDescription("A stored round: room, players with their rating change, winner, reason, start and end; 404 when there is no such match.");
        return api;
    }

    internal static Task<IResult> Leaderboard(string? top, IRecordsReader records, ILogger<IRecordsReader> logger, CancellationToken cancellationToken) =>
        Answer(logger, async () => Count(top) is not { } count
            ? OutOfRange("top", top)
            : TypedResults.Ok((await records.LeaderboardAsync(count, cancellationToken)).Select(LeaderboardResponse.From).ToList()));

    internal static Task<IResult> Profile(string id, IRecordsReader records, ILogger<IRecordsReader> logger, CancellationToken cancellationToken) =>
        Answer(logger, async () => await records.ProfileAsync(id, ProfileMatches, cancellationToken) is { } profile
            ? TypedResults.Ok(ProfileResponse.From(profile))
            : NotFound($"No profile with id '{id}'."));

    internal static Task<IResult> Matches(string? profile, string? limit, IRecordsReader records, ILogger<IRecordsReader> logger, CancellationToken cancellationToken) =>
        Answer(logger, async () =>
        {
            if (Count(limit) is not { } count)
            {
                return OutOfRange("limit", limit);
            }
            if (profile is not null)
            {
                if (!IsId(profile))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                        detail: $"Parameter 'profile' = '{profile}' is not a profile id ({ProfileTokens.IdLength} lower-case hex digits).");
                }
                if (!await records.ProfileExistsAsync(profile, cancellationToken))
                {
                    return NotFound($"No profile with id '{profile}'.");
                }
            }
            return TypedResults.Ok((await records.MatchesAsync(profile, count, cancellationToken)).Select(MatchResponse.From).ToList());
        });

    internal static Task<IResult> Match(string id, IRecordsReader records, ILogger<IRecordsReader> logger, CancellationToken cancellationToken) =>
        Answer(logger, async () => await records.MatchAsync(id, cancellationToken) is { } match
            ? TypedResults.Ok(MatchResponse.From(match))
            : NotFound($"No match with id '{id}'."));

    /// <summary>1 to 100, 20 when absent; null when anything else.</summary>
    private static int? Count(string? text) =>
        text is null ? DefaultCount
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= MaxCount ? count
        : null;

    private static bool IsId(string text) => text.Length == ProfileTokens.IdLength && text.All(char.IsAsciiHexDigitLower);

    private static IResult OutOfRange(string name, string? value) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
            detail: $"Parameter '{name}' = '{value}' is invalid: a whole number from 1 to {MaxCount} (default {DefaultCount}).");

    private static IResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: detail);

    /// <summary>
    /// A database that is down answers 503, not 500: the server itself is fine, and the game goes on. The reason
    /// goes to the log, not to the client (it can name the database's host).
    /// </summary>
    private static async Task<IResult> Answer(ILogger logger, Func<Task<IResult>> read)
    {
        try
        {
            return await read();
        }
        catch (StorageOffException off)
        {
            // Configured so, not an outage: nothing to log, and the answer says what to change.
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable", detail: off.Message);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning("The records could not be read: {Reason}", exception.GetBaseException().Message);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                detail: "The records cannot be read now: the database is unavailable. The game goes on; try again later.");
        }
    }
}
