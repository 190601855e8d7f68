using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using WsGame.Api.WebSockets.Handshake;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// Claims requests to the registered WebSocket paths: decides the handshake, upgrades the HTTP/1.1
/// connection through <see cref="IHttpUpgradeFeature"/>, and runs the connection until it closes.
/// Every other request passes through untouched.
/// </summary>
public sealed class WebSocketEndpointMiddleware(RequestDelegate next, WebSocketAcceptor acceptor)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!acceptor.TryGetHandler(context.Request.Path, out var handlerType))
        {
            await next(context);
            return;
        }

        // The handshake has a method of its own so that what only it needs (the decision, the accept key,
        // the headers) is not kept in this method's state for the whole life of the connection.
        var connection = await AcceptAsync(context, handlerType);
        if (connection is null)
        {
            return;
        }
        await acceptor.RunAsync(connection);
    }

    /// <summary>Answers the handshake: the upgraded connection, opened and logged, or null when it was refused.</summary>
    private async Task<WebSocketConnection?> AcceptAsync(HttpContext context, Type handlerType)
    {
        var request = context.Request;
        // From the feature: HttpContext.Connection would make (and keep) a wrapper object per connection for this one read.
        var remoteAddress = context.Features.Get<IHttpConnectionFeature>()?.RemoteIpAddress?.ToString() ?? "unknown";
        var decision = acceptor.Validator.Decide(ToHandshakeRequest(request));
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (decision.IsAccepted && upgrade is not { IsUpgradableRequest: true })
        {
            decision = HandshakeDecision.BadRequest("This connection cannot be upgraded: WebSocket needs HTTP/1.1 and a request without a body.");
        }
        if (!decision.IsAccepted)
        {
            WebSocketLog.HandshakeRefused(acceptor.Logger, decision.StatusCode, remoteAddress, request.Path.Value ?? "", decision.Reason!);
            await RefuseAsync(context.Response, decision);
            return null;
        }

        // 4.2.2: the 101 answer; Kestrel writes the status line and Connection/Upgrade on UpgradeAsync.
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.SecWebSocketAccept = decision.AcceptKey;
        if (decision.SubProtocol is not null)
        {
            context.Response.Headers.SecWebSocketProtocol = decision.SubProtocol;
        }
        var stream = await upgrade!.UpgradeAsync();
        // Kestrel's transport pipe, read and written directly: no second pipe over the upgrade stream, no copy
        // into it, one flush per drain. The upgrade stream remains for a server without the feature.
        var pipe = acceptor.Options.UseTransportPipe ? context.Features.Get<IConnectionTransportFeature>()?.Transport : null;
        var transport = pipe is not null ? ConnectionTransport.OverPipe(pipe) : ConnectionTransport.OverStream(stream);

        var origin = request.Headers.Origin.Count > 0 ? request.Headers.Origin[0] : null;
        var info = new ConnectionInfo(remoteAddress, request.Path.Value ?? "", origin, decision.SubProtocol);
        return acceptor.Open(info, transport, context.Abort, handlerType);
    }

    private static HandshakeRequest ToHandshakeRequest(HttpRequest request) => new(
        Method: request.Method,
        Protocol: request.Protocol,
        Host: request.Host.Value ?? "",
        Upgrade: request.Headers.Upgrade.ToArray()!,
        Connection: request.Headers.Connection.ToArray()!,
        Key: request.Headers.SecWebSocketKey.ToArray()!,
        Version: request.Headers.SecWebSocketVersion.ToArray()!,
        SubProtocols: request.Headers.SecWebSocketProtocol.ToArray()!,
        Origin: request.Headers.Origin.ToArray()!);

    private static Task RefuseAsync(HttpResponse response, HandshakeDecision decision)
    {
        response.StatusCode = decision.StatusCode;
        if (decision.AdvertisesVersion)
        {
            // 4.2.2: "...and a |Sec-WebSocket-Version| header field indicating the version(s) the server is capable of understanding".
            response.Headers.SecWebSocketVersion = HandshakeValidator.SupportedVersion;
            response.Headers.Upgrade = "websocket";
        }
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(decision.Reason + "\n");
    }
}
