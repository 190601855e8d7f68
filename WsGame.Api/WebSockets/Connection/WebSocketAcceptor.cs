using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;
using WsGame.Api.WebSockets.Handshake;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// What every way into a WebSocket shares, whether the handshake came through the HTTP pipeline
/// (<see cref="WebSocketEndpointMiddleware"/>) or was taken over before it (<see cref="UpgradeFastPath"/>): the
/// endpoints, the handshake rules, and opening, registering and running a connection, so both log and limit
/// alike.
/// </summary>
public sealed class WebSocketAcceptor(
    IOptions<WebSocketEndpointTable> endpoints,
    IOptions<TransportOptions> options,
    ConnectionRegistry registry,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    ILogger<WebSocketEndpointMiddleware> logger)
{
    private readonly ConnectionSettings _settings = ConnectionSettings.From(options.Value);

    /// <summary>The rules of RFC 6455 section 4.2.1 with this server's origins and subprotocols.</summary>
    public HandshakeValidator Validator { get; } = new(new OriginPolicy(options.Value.AllowedOrigins), options.Value.SubProtocols);

    /// <summary>The transport's log (its category is the middleware's, as it always was).</summary>
    public ILogger Logger => logger;

    public TransportOptions Options => options.Value;

    public bool TryGetHandler(PathString path, out Type handlerType) => endpoints.Value.TryGetHandler(path, out handlerType);

    /// <summary>A connection over an upgraded transport, logged as opened.</summary>
    internal WebSocketConnection Open(ConnectionInfo info, ConnectionTransport transport, Action abortTransport, Type handlerType)
    {
        // Handlers are singletons: taken from the root provider, so a connection never makes (and holds for its
        // whole life) a request scope of services.
        var handler = (IWebSocketHandler)services.GetRequiredService(handlerType);
        var connection = new WebSocketConnection(registry.NextId(), info, transport, _settings, handler, logger, time, abortTransport, registry);
        WebSocketLog.Opened(logger, connection.Id, info.RemoteAddress, info.Path, info.Origin, info.SubProtocol);
        return connection;
    }

    /// <summary>Runs an opened connection until it closes, registered for keep-alive, shutdown and statistics meanwhile.</summary>
    /// <remarks>
    /// Not an async method: the connection takes itself out of the registry when it ends, so no state machine of
    /// this method waits, one per idle connection, for that.
    /// </remarks>
    internal Task RunAsync(WebSocketConnection connection)
    {
        registry.Add(connection);
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Shutdown began between the upgrade and the registration, so the 1001 sweep missed it.
            connection.Close(WebSockets.Protocol.CloseCode.GoingAway, "server shutting down");
        }
        return connection.RunAsync();
    }
}
