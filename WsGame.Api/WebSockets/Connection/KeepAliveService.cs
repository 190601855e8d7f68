using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// One timer for all connections (not one per connection): each tick lets every connection ping
/// when idle, give up on an unanswered ping or on a client that reads nothing, and drop a close handshake the
/// client left hanging.
/// </summary>
internal sealed class KeepAliveService(ConnectionRegistry registry, IOptions<TransportOptions> options, TimeProvider time)
    : BackgroundService
{
    /// <summary>A quarter of the shortest deadline it enforces, between 10 ms and 1 s.</summary>
    internal static TimeSpan TickPeriod(TransportOptions options)
    {
        var shortest = new[] { options.KeepAliveInterval, options.KeepAliveTimeout, options.CloseTimeout, options.SendTimeout }.Min();
        return TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TickPeriod(options.Value), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetTimestamp();
                foreach (var connection in registry.Open)
                {
                    connection.OnTick(now);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
