namespace WsGame.Api.Hosting;

/// <summary>
/// Which node of the cluster this process is, for what is per node (its metrics' <c>node</c> label) and what must
/// not repeat across nodes (player ids, each starting with <paramref name="PlayerIdPrefix"/>: empty on a node alone,
/// the node's name and a dot in a cluster); set up by the cluster's settings (<c>WsGame:Cluster</c>), so that the
/// hosting and game code need nothing of the cluster's.
/// </summary>
public sealed record NodeIdentity(string Name, string PlayerIdPrefix = "");
