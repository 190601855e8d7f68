using System.Text;

namespace WsGame.Api.WebSockets.Handshake;

/// <summary>Kestrel's limits on a request head, which a request taken over before Kestrel parses it must keep too.</summary>
public readonly record struct RequestHeadLimits(int MaxRequestLineSize, int MaxHeadersTotalSize, int MaxHeaderCount);

/// <summary>A request head read by <see cref="UpgradeRequestParser"/>: its path and what decides the handshake.</summary>
public sealed record UpgradeRequest(string Path, HandshakeRequest Handshake);

/// <summary>
/// Reads an HTTP/1.1 request head for the upgrade fast path, and only the plainest kind: <c>GET</c> of an
/// origin-form target, no body, printable ASCII, CRLF line ends, one valid Host, within Kestrel's limits. Anything
/// else (a request Kestrel would refuse, or one whose meaning depends on more than this reads, such as a body,
/// forwarded headers, percent-encoded or dot segments) is not read at all: the caller hands it to Kestrel, whose
/// parser and pipeline then answer it as they always did. So what this accepts, Kestrel would accept and
/// present with the same method, path, host and header values.
/// </summary>
public static class UpgradeRequestParser
{
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>Where the head in <paramref name="buffer"/> ends (after its blank line), or -1 when it has not ended there.</summary>
    public static int HeadLength(ReadOnlySpan<byte> buffer)
    {
        var end = buffer.IndexOf(HeadEnd);
        return end < 0 ? -1 : end + HeadEnd.Length;
    }

    /// <summary>Reads <paramref name="head"/> (a whole head, blank line included); null when it is not the plainest kind.</summary>
    public static UpgradeRequest? TryParse(ReadOnlySpan<byte> head, RequestHeadLimits limits)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        if (lineEnd < 0 || lineEnd + 2 > limits.MaxRequestLineSize || head.Length - lineEnd - 2 > limits.MaxHeadersTotalSize)
        {
            return null;
        }
        var path = ReadRequestLine(head[..lineEnd]);
        if (path is null)
        {
            return null;
        }

        var fields = new HandshakeFields();
        var rest = head[(lineEnd + 2)..];
        var count = 0;
        while (true)
        {
            var end = rest.IndexOf("\r\n"u8);
            if (end < 0)
            {
                return null;
            }
            if (end == 0)
            {
                break; // the blank line
            }
            if (++count > limits.MaxHeaderCount || !fields.TryAdd(rest[..end]))
            {
                return null;
            }
            rest = rest[(end + 2)..];
        }
        return fields.Host is { } host ? new UpgradeRequest(path, fields.ToRequest(host)) : null;
    }

    /// <summary><c>GET /path[?query] HTTP/1.1</c>: the path, or null.</summary>
    private static string? ReadRequestLine(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("GET /"u8) || !line.EndsWith(" HTTP/1.1"u8))
        {
            return null;
        }
        var target = line[4..^9];
        var query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        // Kestrel decodes %XX and removes dot segments from the path; a path with neither reads the same raw.
        if (path.IndexOf((byte)'%') >= 0 || path.IndexOf("/."u8) >= 0)
        {
            return null;
        }
        foreach (var b in target)
        {
            if (!IsTargetByte(b))
            {
                return null;
            }
        }
        return Encoding.ASCII.GetString(path);
    }

    /// <summary>RFC 3986's unreserved, sub-delims, ':', '@', '/', '?' and '%' (no space, '#', quotes or controls).</summary>
    private static bool IsTargetByte(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' or (byte)'!' or (byte)'$' or (byte)'&' or (byte)'\''
            or (byte)'(' or (byte)')' or (byte)'*' or (byte)'+' or (byte)',' or (byte)';' or (byte)'=' or (byte)':'
            or (byte)'@' or (byte)'/' or (byte)'?' or (byte)'%';

    /// <summary>RFC 9110's tchar: what a field name is made of.</summary>
    internal static bool IsTokenByte(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';

    /// <summary>
    /// A Host that Kestrel's own check accepts whatever its details: a name or IPv4 address, or a bracketed IPv6
    /// address, with an optional port.
    /// </summary>
    internal static bool IsPlainHost(ReadOnlySpan<byte> host)
    {
        var port = host.LastIndexOf((byte)':');
        var closing = host.LastIndexOf((byte)']');
        var name = host;
        if (port > closing)
        {
            var digits = host[(port + 1)..];
            if (digits.IsEmpty || digits.Length > 5 || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
            {
                return false;
            }
            name = host[..port];
        }
        if (name.IsEmpty)
        {
            return false;
        }
        if (name[0] == (byte)'[')
        {
            return name.Length > 2 && name[^1] == (byte)']' && name[1..^1].IndexOfAnyExcept(":.0123456789abcdefABCDEF"u8) < 0;
        }
        return name.IndexOfAnyExcept("-.0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"u8) < 0;
    }
}
