using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace WsGame.Api.Hosting;

public static class LoggingSetup
{
    /// <summary>Log events that may wait for the console; past it new ones are dropped (and the sink says so).</summary>
    private const int AsyncLogQueueLength = 10_000;

    private const string TextTemplate =
        "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog as the only logging provider: levels and enrichers from the <c>Serilog</c> section,
    /// console format from <see cref="LoggingOptions"/>. The static <c>Log.Logger</c> is left alone so
    /// that several hosts (tests) can live in one process. The framework's default providers are
    /// removed; providers added later (a test's log capture) still receive every event.
    /// </summary>
    public static IServiceCollection AddWsGameLogging(this IServiceCollection services)
    {
        services.RemoveAll<ILoggerProvider>();
        services.AddValidatedOptions<LoggingOptions>(LoggingOptions.SectionName);
        services.AddSerilog(
            (provider, logger) =>
            {
                logger.ReadFrom.Configuration(provider.GetRequiredService<IConfiguration>())
                    .Enrich.FromLogContext();
                var json = provider.GetRequiredService<IOptions<LoggingOptions>>().Value.ConsoleFormat == ConsoleLogFormat.CompactJson;
                var output = provider.GetService<LogOutput>();
                // Through a queue and a thread of its own: the code that logs (a socket's I/O thread under inline
                // scheduling) never waits for the console. A full queue drops events rather than block.
                logger.WriteTo.Async(
                    sink =>
                    {
                        var culture = System.Globalization.CultureInfo.InvariantCulture;
                        if (output is not null)
                        {
                            sink.Sink(output.Sink);
                        }
                        else if (json)
                        {
                            sink.Console(new RenderedCompactJsonFormatter());
                        }
                        else
                        {
                            sink.Console(outputTemplate: TextTemplate, formatProvider: culture);
                        }
                    },
                    bufferSize: AsyncLogQueueLength,
                    blockWhenFull: false);
            },
            preserveStaticLogger: true,
            writeToProviders: true);
        return services;
    }

    /// <summary>
    /// One line per HTTP request naming the remote address. Health probes and metrics scrapes are logged at Debug so
    /// a busy server stays readable. WebSocket endpoints run before this middleware and log their own connections.
    /// </summary>
    public static IApplicationBuilder UseWsGameRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // The host's logger, not the static Log.Logger (left alone, see AddWsGameLogging).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate =
                "HTTP {RequestMethod} {RequestPath} from {RemoteAddress} responded {StatusCode} in {Elapsed:0.0} ms";
            options.EnrichDiagnosticContext = (context, http) =>
                context.Set("RemoteAddress", http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            options.GetLevel = (http, _, exception) =>
                exception is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
                : http.Request.Path.StartsWithSegments("/health") || http.Request.Path.StartsWithSegments(MetricsSetup.ScrapePath) ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });
}
