namespace WsGame.Api.Hosting;

/// <summary>
/// Which node of the cluster this process is, for what is per node (its metrics' <c>node</c> label); set up by the
/// cluster's settings (<c>WsGame:Cluster:NodeName</c>), so that the hosting code needs nothing of the cluster's.
/// </summary>
public sealed record NodeIdentity(string Name);
