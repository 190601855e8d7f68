using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;

namespace WsGame.Api.WebSockets.Connection;

public static class WebSocketSetup
{
    /// <summary>The transport: options, connection registry, keep-alive and graceful shutdown.</summary>
    public static IServiceCollection AddWebSocketTransport(this IServiceCollection services)
    {
        services.AddValidatedOptions<TransportOptions>(TransportOptions.SectionName);
        services.AddSingleton<IValidateOptions<TransportOptions>>(new ShutdownCloseCodeValidator());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<WebSocketAcceptor>();
        services.AddSingleton<UpgradeFastPath>();
        services.AddHostedService<KeepAliveService>();
        services.AddHostedService<GracefulShutdownService>();
        // Inline scheduling (off by default, see TransportOptions.InlineScheduling): a socket's completions run the
        // connection's code on the I/O thread that saw them. Safe because nothing on that path blocks: logging goes
        // through an asynchronous sink, sends never wait for a socket, and a room is handed inputs without a lock.
        services.AddOptions<SocketTransportOptions>()
            .Configure<IOptions<TransportOptions>>((sockets, transport) =>
                sockets.UnsafePreferInlineScheduling = transport.Value.InlineScheduling);
        // The handshake timeout is the time Kestrel allows for the request line and headers.
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<TransportOptions>>((kestrel, transport) =>
                kestrel.Limits.RequestHeadersTimeout = transport.Value.HandshakeTimeout);
        // The upgrade fast path sits in front of every endpoint's HTTP handling. It is asked when the endpoints are
        // bound, after Kestrel's options are complete: it reads their limits.
        services.AddOptions<KestrelServerOptions>()
            .Configure<IServiceProvider>((kestrel, provider) => kestrel.ConfigureEndpointDefaults(listen =>
            {
                var fastPath = provider.GetRequiredService<UpgradeFastPath>();
                if (fastPath.IsEnabled)
                {
                    listen.Use(next => context => fastPath.OnConnectionAsync(context, next));
                }
            }));
        return services;
    }

    /// <summary>Serves <typeparamref name="THandler"/> (a singleton) at <paramref name="path"/>.</summary>
    public static IServiceCollection AddWebSocketEndpoint<THandler>(this IServiceCollection services, string path)
        where THandler : class, IWebSocketHandler
    {
        services.TryAddSingleton<THandler>();
        services.Configure<WebSocketEndpointTable>(table => table.Map(path, typeof(THandler)));
        return services;
    }

    public static IApplicationBuilder UseWebSocketEndpoints(this IApplicationBuilder app) =>
        app.UseMiddleware<WebSocketEndpointMiddleware>();
}
