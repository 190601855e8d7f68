using Microsoft.OpenApi;

namespace WsGame.Api.Hosting;

public static class HostingSetup
{
    /// <summary>The seed server's port, used when neither <c>--urls</c>, <c>ASPNETCORE_URLS</c> nor a ports setting is given.</summary>
    public const string DefaultUrl = "http://localhost:8080";

    public static WebApplicationBuilder UseDefaultUrlUnlessConfigured(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["http_ports"])
            && string.IsNullOrEmpty(config["https_ports"]) && !config.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        return builder;
    }

    public static IServiceCollection AddWsGameApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options => options.SwaggerDoc("v1", new OpenApiInfo
        {
            Title = "WsGame API",
            Version = "v1",
            Description = "Operations and statistics of the WsGame server. The game itself speaks WebSocket at /ws.",
        }));
        return services;
    }

    public static IServiceCollection AddWsGameHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<LifetimeHealthCheck>("lifetime")
            .AddCheck<GameLoopHealthCheck>("gameLoop");
        return services;
    }
}
