using System.Net;
using Microsoft.Extensions.Options;
using WsGame.Api.Storage;

namespace WsGame.Api.Cluster;

/// <summary>
/// The combinations of <see cref="ClusterSettings"/> that cannot work, each refused at start-up with the setting to fix
/// named: a node must never start half in a cluster.
/// </summary>
internal sealed class ClusterSettingsValidator(IConfiguration configuration) : IValidateOptions<ClusterSettings>
{
    private const string Section = ClusterSettings.SectionName;

    public ValidateOptionsResult Validate(string? name, ClusterSettings settings)
    {
        var failures = new List<string>();
        if (settings.SiloPort == settings.GatewayPort)
        {
            failures.Add($"Settings {Section}:SiloPort and {Section}:GatewayPort are both {settings.SiloPort}: each needs a port of its own.");
        }
        IPAddress? address = null;
        if (!string.IsNullOrWhiteSpace(settings.AdvertisedAddress) && !IPAddress.TryParse(settings.AdvertisedAddress, out address))
        {
            failures.Add($"Setting {Section}:AdvertisedAddress = '{settings.AdvertisedAddress}' is not an IP address (for example 10.0.0.5).");
        }
        if (settings.PublicUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
        {
            failures.Add($"Setting {Section}:PublicUrl = '{url}' is not an http or https address (for example http://10.0.0.5:8080).");
        }
        switch (settings.Provider)
        {
            case ClusterProvider.Local:
                if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
                {
                    failures.Add($"Setting {Section}:ConnectionString is set but {Section}:Provider is Local, which uses none: set Provider to Redis or PostgreSQL, or remove it.");
                }
                // Orleans' localhost clustering takes 127.0.0.1 as its own, primary silo: on another address (even
                // another loopback one) the silo would wait for a primary that never comes.
                if (address is not null && !address.Equals(IPAddress.Loopback))
                {
                    failures.Add($"Setting {Section}:AdvertisedAddress = '{address}' is not 127.0.0.1, but {Section}:Provider is Local, a cluster of one node on 127.0.0.1: leave it empty, or use Redis or PostgreSQL for a cluster.");
                }
                break;
            case ClusterProvider.Redis:
                if (string.IsNullOrWhiteSpace(settings.ConnectionString))
                {
                    failures.Add($"Setting {Section}:ConnectionString is required when {Section}:Provider is Redis (the client's own form, for example 127.0.0.1:6379).");
                }
                RequireAddress(settings, failures);
                break;
            case ClusterProvider.PostgreSQL:
                if (string.IsNullOrWhiteSpace(PostgresConnectionString(settings, configuration)))
                {
                    failures.Add($"Setting {Section}:ConnectionString (or ConnectionStrings:{StorageOptions.ConnectionStringName}, the profiles' database) is required when {Section}:Provider is PostgreSQL.");
                }
                RequireAddress(settings, failures);
                break;
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>PostgreSQL membership lives in <see cref="ClusterSettings.ConnectionString"/>, or else in the profiles' database.</summary>
    internal static string? PostgresConnectionString(ClusterSettings settings, IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? configuration.GetConnectionString(StorageOptions.ConnectionStringName)
            : settings.ConnectionString;

    private static void RequireAddress(ClusterSettings settings, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(settings.AdvertisedAddress))
        {
            failures.Add($"Setting {Section}:AdvertisedAddress is required when {Section}:Provider is {settings.Provider}: the IP address the other nodes reach this one on (127.0.0.1 when every node runs on this machine).");
        }
    }
}
