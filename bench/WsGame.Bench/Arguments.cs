using System.Globalization;
using System.Net;

namespace WsGame.Bench;

/// <summary>
/// The command line: <c>&lt;scenario&gt; &lt;url&gt; [--name value | --flag]...</c>. Every option has a default,
/// so a runner passes only what it changes; an option given but not understood is an error, so a
/// typo never silently runs the default.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public Arguments(string scenario, Uri url, IEnumerable<string> rest)
    {
        Scenario = scenario;
        Url = url;
        string? pending = null;
        foreach (var token in rest)
        {
            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null)
                {
                    _options[pending] = null; // a flag
                }
                pending = token;
            }
            else if (pending is not null)
            {
                _options[pending] = token;
                pending = null;
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{token}'");
            }
        }
        if (pending is not null)
        {
            _options[pending] = null;
        }
    }

    public string Scenario { get; }

    /// <summary>The server's address as given; scenarios put their own path on it when it has none.</summary>
    public Uri Url { get; }

    public int Int(string name, int fallback) =>
        Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        Value(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(Double(name, fallback));

    public string String(string name, string fallback) => Value(name) ?? fallback;

    public bool Flag(string name)
    {
        _read.Add(name);
        return _options.ContainsKey(name);
    }

    /// <summary>The pid of the server process (<c>--server-pid</c>), for CPU and memory from /proc.</summary>
    public ServerProbe Probe() => new(Value("--server-pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null);

    /// <summary>The URL with <paramref name="defaultPath"/> when it was given without a path (or with "/").</summary>
    public Uri UrlWithPath(string defaultPath) => WithPath(Url, defaultPath);

    /// <summary>Options given on the command line that no scenario read: most likely typos.</summary>
    public IEnumerable<string> Unread() => _options.Keys.Where(name => !_read.Contains(name));

    public static Uri WithPath(Uri url, string defaultPath)
    {
        if (url.AbsolutePath is not ("" or "/"))
        {
            return url;
        }
        return new UriBuilder(url) { Path = defaultPath }.Uri;
    }

    /// <summary>True for 127.0.0.0/8 and ::1: the benchmark sends traffic nowhere else.</summary>
    public static bool IsLoopback(Uri url) =>
        IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);

    private string? Value(string name)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return null;
        }
        return value ?? throw new ArgumentException($"option {name} needs a value");
    }
}
