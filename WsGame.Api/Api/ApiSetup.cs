using Microsoft.OpenApi;
using WsGame.Api.Hosting;

namespace WsGame.Api.Api;

/// <summary>The REST API under <c>/api</c>: statistics, players and operator actions.</summary>
public static class ApiSetup
{
    public const string ApiKeySchemeName = "ApiKey";

    public static IServiceCollection AddWsGameApi(this IServiceCollection services)
    {
        services.AddValidatedOptions<ApiOptions>(ApiOptions.SectionName);
        services.AddProblemDetails();
        services.AddSingleton<ApiKeyEndpointFilter>();
        services.ConfigureSwaggerGen(options =>
        {
            // The <summary> and <example> of the response and request types show in the document.
            options.IncludeXmlComments(typeof(ApiSetup).Assembly);
            options.AddSecurityDefinition(ApiKeySchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyEndpointFilter.HeaderName,
                Description = "The operator key, the setting WsGame:ApiKey. Without it configured, operator endpoints answer 404.",
            });
            options.OperationFilter<ApiKeyOperationFilter>();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapWsGameApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapStatsEndpoints();
        api.MapPlayersEndpoints();
        api.MapRoomsEndpoints();
        api.MapRecordsEndpoints();
        api.MapBroadcastEndpoints();
        api.MapClusterEndpoints();
        return endpoints;
    }
}
