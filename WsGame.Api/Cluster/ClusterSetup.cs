using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Orleans.Serialization;
using StackExchange.Redis;
using WsGame.Api.Cluster.PostgreSql;
using WsGame.Api.Hosting;

namespace WsGame.Api.Cluster;

public static class ClusterSetup
{
    /// <summary>Orleans' service id: every WsGame cluster runs the same grains, whatever its cluster id.</summary>
    public const string ServiceId = "wsgame";

    /// <summary>
    /// Makes this process an Orleans silo: a cluster of one on loopback by default, or a node of the cluster that
    /// <c>WsGame:Cluster</c> names. The membership provider is chosen from the configuration as the app starts
    /// building (the command line, the environment, appsettings); everything else (ports, addresses, ids) is read
    /// when the silo starts, from the options as validated then, so that a bad combination stops start-up with the
    /// setting named before the silo joins anything.
    /// </summary>
    public static WebApplicationBuilder AddWsGameCluster(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ClusterSettings>(ClusterSettings.SectionName);
        services.AddSingleton<IValidateOptions<ClusterSettings>, ClusterSettingsValidator>();
        var provider = builder.Configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>()?.Provider ?? ClusterProvider.Local;
        if (provider == ClusterProvider.PostgreSQL)
        {
            // Before the silo's own hosted service (registered by UseOrleans below): its membership needs the tables.
            services.AddHostedService<PostgresClusterSchemaService>();
        }

        builder.UseOrleans(silo =>
        {
            // The game's own types (a room's summary for the operator's API) cross nodes as JSON: no Orleans
            // attributes in the pure game code.
            silo.Services.AddSerializer(serializer => serializer.AddJsonSerializer(
                isSupported: type => type.Namespace?.StartsWith("WsGame.Api.Game", StringComparison.Ordinal) == true));
            switch (provider)
            {
                case ClusterProvider.Redis:
                    silo.UseRedisClustering(_ => { });
                    break;
                case ClusterProvider.PostgreSQL:
                    silo.UseAdoNetClustering((AdoNetClusteringSiloOptions _) => { });
                    break;
                default:
                    silo.UseLocalhostClustering();
                    break;
            }
        });

        services.AddOptions<ClusterOptions>().Configure<IOptions<ClusterSettings>>((options, settings) =>
        {
            options.ClusterId = settings.Value.ClusterId;
            options.ServiceId = ServiceId;
        });
        services.AddOptions<SiloOptions>().Configure<IOptions<ClusterSettings>>((options, settings) =>
            options.SiloName = settings.Value.EffectiveNodeName);
        services.AddOptions<EndpointOptions>().Configure<IOptions<ClusterSettings>>((options, settings) =>
        {
            var cluster = settings.Value;
            var advertised = AdvertisedAddress(cluster);
            options.AdvertisedIPAddress = advertised;
            options.SiloPort = cluster.SiloPort;
            options.GatewayPort = cluster.GatewayPort;
            // A node of one listens on loopback only; a node of a cluster on every address, as other machines reach it.
            var listen = cluster.Provider == ClusterProvider.Local ? IPAddress.Loopback : IPAddress.Any;
            options.SiloListeningEndpoint = new IPEndPoint(listen, cluster.SiloPort);
            options.GatewayListeningEndpoint = new IPEndPoint(listen, cluster.GatewayPort);
        });
        services.AddOptions<DevelopmentClusterMembershipOptions>().Configure<IOptions<ClusterSettings>>((options, settings) =>
            options.PrimarySiloEndpoint = new IPEndPoint(IPAddress.Loopback, settings.Value.SiloPort));
        services.AddOptions<RedisClusteringOptions>().Configure<IOptions<ClusterSettings>>((options, settings) =>
            options.ConfigurationOptions = ConfigurationOptions.Parse(settings.Value.ConnectionString ?? ""));
        services.AddOptions<AdoNetClusteringSiloOptions>().Configure<IOptions<ClusterSettings>, IConfiguration>((options, settings, configuration) =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = ClusterSettingsValidator.PostgresConnectionString(settings.Value, configuration);
        });
        services.AddOptions<ClusterMembershipOptions>().Configure(MembershipTiming.Apply);
        // A node of a cluster that stops asks its players to come back at once (1012): another node takes them, and
        // their seats are held meanwhile. Unless the operator chose a code.
        services.AddOptions<TransportOptions>().PostConfigure<IOptions<ClusterSettings>>((transport, settings) =>
        {
            if (settings.Value.Provider != ClusterProvider.Local)
            {
                transport.ShutdownCloseCode ??= (int)WebSockets.Protocol.CloseCode.ServiceRestart;
            }
        });

        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<ClusterSettings>>().Value;
            // Player ids are counted per node: in a cluster the node's name keeps them apart ("node-2.17").
            return new NodeIdentity(settings.EffectiveNodeName, settings.Provider == ClusterProvider.Local ? "" : settings.EffectiveNodeName + ".");
        });

        // After the silo's hosted service: it reports once the silo is up.
        services.AddSingleton<NodeReporter>();
        services.AddHostedService(provider => provider.GetRequiredService<NodeReporter>());
        services.AddSingleton<ClusterQueries>();
        return builder;
    }

    internal static IPAddress AdvertisedAddress(ClusterSettings settings) =>
        string.IsNullOrWhiteSpace(settings.AdvertisedAddress) ? IPAddress.Loopback : IPAddress.Parse(settings.AdvertisedAddress);
}
