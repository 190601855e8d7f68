namespace WsGame.Api.Cluster;

/// <summary>What one node says of itself, every <see cref="NodeReporter.Interval"/>, with its hub for the others' questions: kept by the <see cref="IClusterDirectoryGrain"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeReport(
    [property: Id(0)] string Name,
    [property: Id(1)] string Silo,
    [property: Id(2)] string? Url,
    [property: Id(3)] int Players,
    [property: Id(4)] int Rooms,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] INodeHub? Hub = null,
    [property: Id(7)] int ConnectionsOpen = 0,
    [property: Id(8)] long MessagesIn = 0,
    [property: Id(9)] long MessagesOut = 0);
