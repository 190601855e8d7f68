namespace WsGame.Api.WebSockets.Handshake;

/// <summary>
/// Which browser origins may open a WebSocket (RFC 6455 section 10.2). Browsers send Origin and
/// let any page connect anywhere, so without this check a hostile page could play as a visitor
/// (cross-site WebSocket hijacking). Allowed: no Origin at all (scripts and other non-browser
/// clients), the server's own host, localhost, and the configured list ("*" allows every origin).
/// </summary>
public sealed class OriginPolicy(IEnumerable<string> allowedOrigins)
{
    private readonly HashSet<string> _allowed = new(allowedOrigins.Select(Normalize), StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(string? origin, string requestHost)
    {
        if (string.IsNullOrEmpty(origin) || _allowed.Contains("*") || _allowed.Contains(Normalize(origin)))
        {
            return true;
        }
        // A browser origin is scheme://host[:port]; a path or file: URL (which Uri reads as a local,
        // "loopback" file) is not one.
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.IsFile)
        {
            return false;
        }
        // Same host: the page was served by this server (compare host and port, as the Host header carries them).
        if (string.Equals(uri.IsDefaultPort ? uri.Host : uri.Authority, requestHost, StringComparison.OrdinalIgnoreCase)
            || string.Equals(uri.Authority, requestHost, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return uri.IsLoopback;
    }

    private static string Normalize(string origin) => origin.Trim().TrimEnd('/');
}
