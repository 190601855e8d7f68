namespace WsGame.Api.WebSockets.Handshake;

/// <summary>Reads comma-separated HTTP header lists (RFC 9110 section 5.6.1), over one or more header lines.</summary>
public static class HeaderTokens
{
    /// <summary>True when any element of the lists equals <paramref name="token"/>, ignoring case and spaces.</summary>
    public static bool Contains(IReadOnlyList<string> values, string token)
    {
        foreach (var value in values)
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                if (value.AsSpan()[range].Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Every non-empty element of the lists, trimmed, in order.</summary>
    public static IEnumerable<string> All(IReadOnlyList<string> values) =>
        values.SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
