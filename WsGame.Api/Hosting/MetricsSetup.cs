using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace WsGame.Api.Hosting;

public static class MetricsSetup
{
    /// <summary>Prometheus text format of the <see cref="WsGameMetrics.MeterName"/> meter, at this path.</summary>
    public const string ScrapePath = "/metrics";

    /// <summary>The <see cref="WsGameMetrics"/> instruments, collected by OpenTelemetry for the Prometheus exporter.</summary>
    public static IServiceCollection AddWsGameMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<WsGameMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("WsGame"))
            .WithMetrics(metrics => metrics
            .AddMeter(WsGameMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Serves the Prometheus scrape endpoint at <see cref="ScrapePath"/>.</summary>
    public static IEndpointRouteBuilder MapWsGameMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(ScrapePath);
        return endpoints;
    }
}
