namespace WsGame.Api.WebSockets.Connection;

/// <summary>The paths that speak WebSocket and the handler type of each, filled at start-up.</summary>
public sealed class WebSocketEndpointTable
{
    private readonly Dictionary<string, Type> _handlers = new(StringComparer.OrdinalIgnoreCase);

    public void Map(string path, Type handlerType) => _handlers[path] = handlerType;

    public bool TryGetHandler(PathString path, out Type handlerType) => _handlers.TryGetValue(path.Value ?? "", out handlerType!);

    public IReadOnlyCollection<string> Paths => _handlers.Keys;
}
