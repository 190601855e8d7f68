using System.Text;

namespace WsGame.Api.WebSockets.Handshake;

/// <summary>
/// The header fields of a request head read by <see cref="UpgradeRequestParser"/>: each field line checked, the ones
/// a handshake is decided on kept (values trimmed, one entry per line, as Kestrel presents them), the rest only
/// checked. A field that would give the request a meaning beyond a plain handshake makes the head not plain.
/// </summary>
internal sealed class HandshakeFields
{
    private readonly List<string> _upgrade = [];
    private readonly List<string> _connection = [];
    private readonly List<string> _key = [];
    private readonly List<string> _version = [];
    private readonly List<string> _subProtocols = [];
    private readonly List<string> _origin = [];
    private int _hosts;

    /// <summary>The Host field when there was exactly one, and a plain one.</summary>
    public string? Host { get; private set; }

    /// <summary>Reads one field line (without its CRLF); false when the head is not plain.</summary>
    public bool TryAdd(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false; // also a line folded onto the one before (obs-fold), which starts with a space
        }
        var name = line[..colon];
        foreach (var b in name)
        {
            if (!UpgradeRequestParser.IsTokenByte(b))
            {
                return false; // includes whitespace between the name and the colon, which RFC 9112 forbids
            }
        }
        var value = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in value)
        {
            if (b is (< 0x20 and not (byte)'\t') or >= 0x7F)
            {
                return false; // controls and non-ASCII: Kestrel's to refuse or decode
            }
        }
        var list = ListFor(name, out var plain);
        if (!plain)
        {
            return false;
        }
        if (list is not null)
        {
            list.Add(Encoding.ASCII.GetString(value));
        }
        else if (Is(name, "Host"))
        {
            _hosts++;
            Host = _hosts == 1 && UpgradeRequestParser.IsPlainHost(value) ? Encoding.ASCII.GetString(value) : null;
            return _hosts == 1 && Host is not null;
        }
        return true;
    }

    public HandshakeRequest ToRequest(string host) => new(
        Method: "GET",
        Protocol: "HTTP/1.1",
        Host: host,
        Upgrade: _upgrade,
        Connection: _connection,
        Key: _key,
        Version: _version,
        SubProtocols: _subProtocols,
        Origin: _origin);

    /// <summary>Where a field's values go (null: nowhere); <paramref name="plain"/> false for a field a plain head has not.</summary>
    private List<string>? ListFor(ReadOnlySpan<byte> name, out bool plain)
    {
        // A body (which an upgrade may not have), and what the forwarded-headers middleware would act on.
        plain = !Is(name, "Content-Length") && !Is(name, "Transfer-Encoding") && !IsForwarded(name);
        return Is(name, "Upgrade") ? _upgrade
            : Is(name, "Connection") ? _connection
            : Is(name, "Sec-WebSocket-Key") ? _key
            : Is(name, "Sec-WebSocket-Version") ? _version
            : Is(name, "Sec-WebSocket-Protocol") ? _subProtocols
            : Is(name, "Origin") ? _origin
            : null;
    }

    private static bool IsForwarded(ReadOnlySpan<byte> name) =>
        name.Length >= 12 && Ascii.EqualsIgnoreCase(name[..12], "X-Forwarded-"u8);

    private static bool Is(ReadOnlySpan<byte> name, string field) => Ascii.EqualsIgnoreCase(name, field);
}
