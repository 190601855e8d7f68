using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using WsGame.Api.Game.Session;

namespace WsGame.Api.Cluster;

/// <summary>Tells the cluster's directory about this node every <see cref="Interval"/>, from when the silo is up until the host stops.</summary>
internal sealed class NodeReporter(
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<ClusterSettings> settings,
    GameSession session,
    IServer server,
    WebSockets.Connection.ConnectionRegistry connections,
    TimeProvider time,
    ILogger<NodeReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private bool _failing;
    private INodeHub? _hubReference;

    /// <summary>This node's hub, answering the other nodes' questions; its reference goes with every report.</summary>
    public NodeHub Hub { get; } = new(session);

    /// <summary>This node's name (<see cref="ClusterSettings.EffectiveNodeName"/>).</summary>
    public string Name => settings.Value.EffectiveNodeName;

    /// <summary>This node's silo address, as the membership table and the reports name it.</summary>
    public string Silo => silo.SiloAddress.ToParsableString();

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var directory = grains.GetGrain<IClusterDirectoryGrain>(0);
        // Made once the silo is up, and kept: the reference lives as long as this object does.
        _hubReference = grains.CreateObjectReference<INodeHub>(Hub);
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await directory.Report(Current());
                if (_failing)
                {
                    logger.LogInformation("Node {Node} reaches the cluster's directory again", Name);
                    _failing = false;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The directory's node may have just died: it is activated elsewhere on the next try.
                if (!_failing)
                {
                    logger.LogWarning("Node {Node} could not report to the cluster's directory: {Reason}", Name, exception.Message);
                    _failing = true;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stopping));
    }

    /// <summary>What this node is now.</summary>
    public NodeReport Current() =>
        new(Name, Silo, PublicUrl(), session.PlayerCount, session.RoomCount, time.GetUtcNow(), _hubReference,
            connections.OpenCount, session.Stats.MessagesIn, session.Stats.MessagesOut);

    /// <summary>
    /// <see cref="ClusterSettings.PublicUrl"/>, or the first address Kestrel listens on, a wildcard host replaced by the
    /// advertised address; null before Kestrel listens.
    /// </summary>
    private string? PublicUrl()
    {
        if (!string.IsNullOrWhiteSpace(settings.Value.PublicUrl))
        {
            return settings.Value.PublicUrl.TrimEnd('/');
        }
        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (first is null || !Uri.TryCreate(first.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri))
        {
            return null;
        }
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? ClusterSetup.AdvertisedAddress(settings.Value).ToString() : uri.Host;
        return new UriBuilder(uri) { Host = host }.Uri.ToString().TrimEnd('/');
    }
}
