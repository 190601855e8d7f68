using Microsoft.OpenApi;

namespace WsGame.Api.Hosting;

public static class HostingSetup
{
    /// <summary>The seed server's port, used when neither <c>--urls</c>, <c>ASPNETCORE_URLS</c> nor a ports setting is given.</summary>
    public const string DefaultUrl = "http://localhost:8080";

    /// <summary>The runtime's switch that runs socket completions on its epoll threads, not the thread pool.</summary>
    private const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// With <c>WsGame:WebSockets:InlineScheduling</c>, socket completions run inline too: Kestrel's inline
    /// scheduling alone still hands every completion from the runtime's epoll thread to the thread pool, and
    /// those context switches were most of the server's time (80% in the kernel, a fifth in switching tasks, at
    /// 32 echo connections). The runtime reads the switch once, when the process first uses a socket, so it is
    /// set here, before Kestrel listens; a process that used sockets before (a test host) keeps what it had.
    /// </summary>
    public static WebApplicationBuilder UseInlineSocketCompletionsIfConfigured(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>($"{TransportOptions.SectionName}:{nameof(TransportOptions.InlineScheduling)}")
            && Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
        }
        return builder;
    }

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
