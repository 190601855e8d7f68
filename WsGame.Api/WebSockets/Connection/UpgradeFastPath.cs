using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using WsGame.Api.WebSockets.Handshake;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// Kestrel connection middleware that takes over a WebSocket handshake on a registered path before Kestrel builds
/// its HTTP/1.1 objects for it: an upgraded connection through the HTTP pipeline holds the whole request for its
/// life (the HTTP/1.1 connection, request and response headers, HttpContext, activity and log scopes), about
/// half of an idle connection's memory. It only looks: a connection's first bytes that are not one complete,
/// plain (<see cref="UpgradeRequestParser"/>) handshake the rules accept are left unread for Kestrel, and so are
/// the refused ones, so every refusal, limit, log line and other request goes the way it always went, through
/// Kestrel and <see cref="WebSocketEndpointMiddleware"/>.
/// </summary>
public sealed class UpgradeFastPath(
    WebSocketAcceptor acceptor,
    IOptions<KestrelServerOptions> kestrel,
    IOptions<HostFilteringOptions> hostFiltering,
    TimeProvider time)
{
    private readonly RequestHeadLimits _limits = new(
        kestrel.Value.Limits.MaxRequestLineSize, kestrel.Value.Limits.MaxRequestHeadersTotalSize, kestrel.Value.Limits.MaxRequestHeaderCount);

    private long _takenOver;

    /// <summary>Handshakes answered here since start (the others went through Kestrel's HTTP layer).</summary>
    public long TakenOver => Interlocked.Read(ref _takenOver);

    /// <summary>
    /// Off where the pipeline does more with a handshake than this does: the upgrade stream asked for, a host
    /// filter (anything but "*"), or a limit on upgraded connections, which only Kestrel's HTTP layer counts.
    /// </summary>
    public bool IsEnabled =>
        acceptor.Options is { UpgradeFastPath: true, UseTransportPipe: true }
        && kestrel.Value.Limits.MaxConcurrentUpgradedConnections is null
        && hostFiltering.Value.AllowedHosts.All(host => host == "*");

    /// <summary>The connection middleware: serves the connection as a WebSocket, or hands it on to <paramref name="next"/>.</summary>
    public async Task OnConnectionAsync(ConnectionContext context, ConnectionDelegate next)
    {
        // The handshake has a method of its own so that what only it needs is not kept for the connection's life.
        var (connection, handOn) = await TryAcceptAsync(context);
        if (connection is not null)
        {
            await acceptor.RunAsync(connection);
        }
        else if (handOn)
        {
            await next(context);
        }
    }

    /// <summary>
    /// The opened connection when the first bytes were a handshake to take over; otherwise none, nothing read, and
    /// whether Kestrel is to serve the connection (not when it was closed for sending nothing).
    /// </summary>
    private async Task<(WebSocketConnection? Connection, bool HandOn)> TryAcceptAsync(ConnectionContext context)
    {
        var input = context.Transport.Input;
        ReadResult result;
        if (!input.TryRead(out result))
        {
            // Kestrel gives a connection its keep-alive timeout to send its first request, and closes an idle one at
            // shutdown; the wait here keeps both, then lets Kestrel time the rest as it would.
            var closing = context.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(closing);
            wait.CancelAfter(kestrel.Value.Limits.KeepAliveTimeout);
            try
            {
                result = await input.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // No request in time, or the server is stopping: ended as Kestrel ends it, a plain close, no answer.
                return (null, false);
            }
        }
        var buffer = result.Buffer;
        var accepted = TryAccept(context, buffer, out var headLength);
        if (accepted is null)
        {
            input.AdvanceTo(buffer.Start, buffer.Start); // unread: Kestrel reads these bytes as if first
            return (null, true);
        }
        input.AdvanceTo(buffer.GetPosition(headLength));
        Interlocked.Increment(ref _takenOver);
        await context.Transport.Output.FlushAsync();
        return (accepted, false);
    }

    /// <summary>Decides and answers the handshake in <paramref name="buffer"/>, writing the 101; null to leave it to Kestrel.</summary>
    private WebSocketConnection? TryAccept(ConnectionContext context, ReadOnlySequence<byte> buffer, out int headLength)
    {
        headLength = -1;
        var upgrade = Parse(buffer, ref headLength);
        if (upgrade is null || !acceptor.TryGetHandler(upgrade.Path, out var handlerType))
        {
            return null;
        }
        var decision = acceptor.Validator.Decide(upgrade.Handshake);
        if (!decision.IsAccepted)
        {
            return null; // refused the way it always was, by the middleware, with its log line and answer
        }
        SwitchingProtocolsResponse.Write(context.Transport.Output, time.GetUtcNow(), kestrel.Value.AddServerHeader, decision.AcceptKey!, decision.SubProtocol);
        var remoteAddress = (context.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "unknown";
        var origin = upgrade.Handshake.Origin.Count > 0 ? upgrade.Handshake.Origin[0] : null;
        var info = new ConnectionInfo(remoteAddress, upgrade.Path, origin, decision.SubProtocol);
        using (acceptor.Logger.BeginScope(new HandshakeLogScope(HandshakeLogScope.FirstRequestId(context.ConnectionId), info.Path)))
        {
            return acceptor.Open(info, ConnectionTransport.OverPipe(context.Transport), context.Abort, handlerType);
        }
    }

    private UpgradeRequest? Parse(ReadOnlySequence<byte> buffer, ref int headLength)
    {
        var most = _limits.MaxRequestLineSize + _limits.MaxHeadersTotalSize;
        if (buffer.IsSingleSegment)
        {
            headLength = UpgradeRequestParser.HeadLength(buffer.FirstSpan);
            return headLength < 0 || headLength > most ? null : UpgradeRequestParser.TryParse(buffer.FirstSpan[..headLength], _limits);
        }
        // A head over several blocks of the pool: copied once, for this one read.
        var length = (int)Math.Min(buffer.Length, most);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(copy);
            headLength = UpgradeRequestParser.HeadLength(copy.AsSpan(0, length));
            return headLength < 0 ? null : UpgradeRequestParser.TryParse(copy.AsSpan(0, headLength), _limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
