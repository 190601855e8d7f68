using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// When the host begins to stop, every open connection gets a close frame (1001, going away, or what
/// <see cref="TransportOptions.ShutdownCloseCode"/> says: 1012 on a node of a cluster) and a bounded wait for the
/// client's reply. It acts on ApplicationStopping, which fires before any
/// hosted service stops, because Kestrel stops before our hosted services do and would otherwise
/// sit waiting for the upgraded requests to end.
/// </summary>
internal sealed class GracefulShutdownService(
    ConnectionRegistry registry,
    IHostApplicationLifetime lifetime,
    IOptions<TransportOptions> options,
    TimeProvider time) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(CloseAll);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CloseAll();
        // Each connection drops itself at its close timeout; allow a little more for the last flushes.
        var deadline = time.GetUtcNow() + options.Value.CloseTimeout + TimeSpan.FromSeconds(1);
        while (registry.OpenCount > 0 && time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), time, CancellationToken.None);
        }
    }

    private void CloseAll()
    {
        var code = (CloseCode)(options.Value.ShutdownCloseCode ?? (int)CloseCode.GoingAway);
        var reason = code == CloseCode.ServiceRestart ? "server restarting: reconnect" : "server shutting down";
        foreach (var connection in registry.Open)
        {
            connection.Close(code, reason);
        }
    }
}
