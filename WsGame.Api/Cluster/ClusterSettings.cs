using System.ComponentModel.DataAnnotations;

namespace WsGame.Api.Cluster;

/// <summary>
/// How this process joins a WsGame cluster, bound from <c>WsGame:Cluster</c>. Every WsGame process is an Orleans
/// silo; by default (<see cref="ClusterProvider.Local"/>) it is a cluster of one on loopback that needs nothing else.
/// </summary>
public sealed class ClusterSettings
{
    public const string SectionName = "WsGame:Cluster";

    /// <summary><c>Local</c> (one node, nothing external), <c>Redis</c> or <c>PostgreSQL</c> (the membership table of a cluster).</summary>
    public ClusterProvider Provider { get; set; } = ClusterProvider.Local;

    /// <summary>
    /// Redis: the client's own form, such as <c>127.0.0.1:6379</c>. PostgreSQL: an Npgsql connection string; empty
    /// means the profiles' database (<c>ConnectionStrings:WsGame</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The nodes that share this id form one cluster; another id on the same membership table is another cluster.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "use 1 to 64 letters, digits, dots, dashes or underscores")]
    public string ClusterId { get; set; } = "wsgame";

    /// <summary>The port other nodes reach this one's silo on.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients outside the cluster would connect to (WsGame's own nodes do not need it).</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The IP address other nodes reach this one on: 127.0.0.1 for <c>Local</c> (the default), required otherwise (a node
    /// that advertised loopback to others on other machines would be unreachable).
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>This node's name, as rooms and <c>/api/cluster</c> name it; by default the host name and the silo port.</summary>
    [RegularExpression("^[A-Za-z0-9._:-]{1,100}$", ErrorMessage = "use 1 to 100 letters, digits, dots, colons, dashes or underscores")]
    public string? NodeName { get; set; }

    /// <summary>
    /// The HTTP address other nodes and operators reach this node on, shown in <c>/api/cluster</c>; by default the
    /// first address Kestrel listens on, with a wildcard host replaced by <see cref="AdvertisedAddress"/>.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The name this node goes by: <see cref="NodeName"/>, or the host name and the silo port.</summary>
    public string EffectiveNodeName => string.IsNullOrWhiteSpace(NodeName) ? $"{Environment.MachineName}-{SiloPort}" : NodeName;
}

public enum ClusterProvider
{
    Local,
    Redis,
    PostgreSQL,
}
