using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;

namespace WsGame.Api.Api;

/// <summary>
/// Guards operator endpoints with the <c>X-Api-Key</c> header: 404 when no key is configured (the
/// endpoints are disabled), 401 without the header, 403 with a wrong key. The comparison takes the
/// same time wherever the keys differ.
/// </summary>
internal sealed class ApiKeyEndpointFilter(IOptionsMonitor<ApiOptions> options, ILogger<ApiKeyEndpointFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var configured = options.CurrentValue;
        if (!configured.OperatorEndpointsEnabled)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Not Found",
                detail: "Operator endpoints are disabled: the setting WsGame:ApiKey is not configured.");
        }
        var http = context.HttpContext;
        var sent = http.Request.Headers[HeaderName];
        if (sent.Count == 0 || string.IsNullOrEmpty(sent[0]))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: $"This operator endpoint needs the {HeaderName} header.");
        }
        if (sent.Count != 1 || !KeysMatch(sent[0]!, configured.ApiKey!))
        {
            logger.LogWarning("Refused {Method} {Path} from {RemoteAddress}: wrong {Header}",
                http.Request.Method, http.Request.Path.Value, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", HeaderName);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: $"The {HeaderName} header does not match the configured key.");
        }
        return await next(context);
    }

    private static bool KeysMatch(string sent, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(sent)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

/// <summary>Metadata marking an endpoint as guarded by <see cref="ApiKeyEndpointFilter"/> (for the OpenAPI document).</summary>
internal sealed class RequiresApiKeyMetadata
{
    public static readonly RequiresApiKeyMetadata Instance = new();
}

internal static class ApiKeyEndpointExtensions
{
    /// <summary>Puts the endpoint (or group) behind the operator key, and documents the answers that brings.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter<TBuilder, ApiKeyEndpointFilter>();
        builder.WithMetadata(RequiresApiKeyMetadata.Instance);
        builder.ProducesProblem(StatusCodes.Status401Unauthorized);
        builder.ProducesProblem(StatusCodes.Status403Forbidden);
        builder.ProducesProblem(StatusCodes.Status404NotFound);
        return builder;
    }
}
