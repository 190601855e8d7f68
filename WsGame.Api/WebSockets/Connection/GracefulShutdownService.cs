using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// When the host stops, every open connection gets a close frame 1001 (going away) and a bounded
/// wait for the client's reply, before Kestrel itself stops. Registered after Kestrel, so it is
/// stopped before it.
/// </summary>
internal sealed class GracefulShutdownService(ConnectionRegistry registry, IOptions<TransportOptions> options, TimeProvider time)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in registry.Open)
        {
            connection.Close(CloseCode.GoingAway, "server shutting down");
        }
        // Each connection drops itself at its close timeout; allow a little more for the last flushes.
        var deadline = time.GetUtcNow() + options.Value.CloseTimeout + TimeSpan.FromSeconds(1);
        while (registry.OpenCount > 0 && time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), time, CancellationToken.None);
        }
    }
}
