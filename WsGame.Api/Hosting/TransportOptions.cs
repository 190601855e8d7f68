using System.ComponentModel.DataAnnotations;

namespace WsGame.Api.Hosting;

/// <summary>
/// Limits and policies of the WebSocket transport, bound from <c>WsGame:WebSockets</c>.
/// Every number the transport enforces lives here, so an operator can see and change it.
/// </summary>
public sealed class TransportOptions
{
    public const string SectionName = "WsGame:WebSockets";

    /// <summary>Largest message (after reassembly of fragments) a client may send; beyond it the connection closes with 1009.</summary>
    [Range(125, 256 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a client may take to send its complete HTTP upgrade request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The server pings a connection that has been silent this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that sent nothing (not even a pong) this long after our ping is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The close code every open connection gets when the server stops gracefully. Unset: 1001 (going away) alone,
    /// 1012 (service restart) on a node of a cluster, whose players reconnect through another node at once.
    /// </summary>
    [Range(1000, 4999)]
    public int? ShutdownCloseCode { get; set; }

    /// <summary>After we send a close frame, how long we wait for the peer's close before dropping TCP.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Messages the server pushes on its own (broadcasts, ticks) that may wait in one connection's send queue; a
    /// client that lets it fill is closed with 1008.
    /// </summary>
    [Range(1, 1_000_000)]
    public int SendQueueLimit { get; set; } = 512;

    /// <summary>
    /// Read and write Kestrel's transport pipe of an upgraded connection directly (the default), or go through
    /// the upgrade stream (false, or where the server offers no transport pipe). Both are held to the same tests.
    /// </summary>
    public bool UseTransportPipe { get; set; } = true;

    /// <summary>
    /// Take over a plain, acceptable WebSocket handshake on a connection's first request before Kestrel's HTTP/1.1
    /// layer builds its request objects (the default), which an idle connection would otherwise hold for its life;
    /// any other request goes through Kestrel as before. Needs <see cref="UseTransportPipe"/>.
    /// </summary>
    public bool UpgradeFastPath { get; set; } = true;

    /// <summary>
    /// Run connection code inline on the runtime's socket threads: Kestrel's inline scheduling and the runtime's
    /// inline socket completions (set at start-up, see HostingSetup). Off by default for now. Measured with wsload
    /// (server on one core, generator at 55-67% of its core), it took 32 echo connections from about 43k to 63-68k
    /// messages/s (p99 3.5 to 2 ms), left 256 about even (50-61k against 54-63k, p99 worse) and 64 KiB bulk no
    /// better (456-709 against 486-534 MB/s); and with a log sink made to block the I/O threads, a client once
    /// received a message without its first fragment, which is
    /// not explained yet. Nothing on the I/O path blocks in the shipped setup (logging is asynchronous).
    /// </summary>
    public bool InlineScheduling { get; set; }

    public const int DefaultMaxPendingReplyBytes = 64 * 1024;

    /// <summary>
    /// Answers to what a client sent (echoes, pongs, errors) that may wait to be written before the connection stops
    /// reading; it reads again once they drained to a quarter of this. A client that sends faster than it reads is
    /// slowed down by TCP this way, not closed: only what the server pushes on its own counts toward <see cref="SendQueueLimit"/>.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxPendingReplyBytes { get; set; } = DefaultMaxPendingReplyBytes;

    /// <summary>
    /// A connection whose write has waited this long for the client's socket to take it (the client read nothing
    /// meanwhile) is closed with 1008: a client that reads nothing is found by time too, not only once its queue
    /// is full (small messages fit the kernel's buffers for a long while).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Origins (scheme://host[:port]) a browser may connect from, besides the server's own host and localhost.
    /// "*" allows any origin. Requests without an Origin header (non-browser clients) are always allowed.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Subprotocols the server speaks, in order of preference; one is selected only when the client offers it.</summary>
    public string[] SubProtocols { get; set; } = [];
}
