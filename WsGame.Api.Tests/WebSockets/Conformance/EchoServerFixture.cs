using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>
/// One real server per test class, with a short close timeout so failed connections end quickly,
/// and the default message limit of 1 MiB.
/// </summary>
public class EchoServerFixture : IAsyncLifetime
{
    /// <summary>The path of the echo endpoint under test.</summary>
    public const string EchoPath = "/ws/echo";

    /// <summary>The server's default message limit.</summary>
    public const int DefaultMaxMessageBytes = 1024 * 1024;

    /// <summary>How long the test server waits for the client's close frame after sending its own.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    public EchoServerFixture()
        : this(DefaultMaxMessageBytes, TransportPath.TransportPipe)
    {
    }

    protected EchoServerFixture(int maxMessageBytes, TransportPath path)
    {
        MaxMessageBytes = maxMessageBytes;
        Path = path;
        Server = new WsGameServer(new Dictionary<string, string?>
        {
            ["WsGame:WebSockets:MaxMessageBytes"] = maxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WsGame:WebSockets:CloseTimeout"] = "00:00:01",
            ["WsGame:WebSockets:UseTransportPipe"] = path == TransportPath.TransportPipe ? "true" : "false",
        });
    }

    /// <summary>The way this server's connections are to go after the upgrade.</summary>
    public TransportPath Path { get; }

    /// <summary>The message limit this server was started with.</summary>
    public int MaxMessageBytes { get; }

    /// <summary>The running server.</summary>
    public WsGameServer Server { get; }

    /// <summary>ws://127.0.0.1:port/ws/echo on this server.</summary>
    public Uri EchoUri => Server.WebSocketUri(EchoPath);

    /// <summary>A new connection to the echo endpoint, handshake done.</summary>
    public Task<RawWebSocketClient> ConnectAsync() => RawWebSocketClient.ConnectAsync(EchoUri);

    public Task InitializeAsync()
    {
        _ = Server.BaseAddress; // starts Kestrel
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The same server with a 64 KiB message limit, for sections that send no large messages.</summary>
public class SmallLimitEchoServerFixture : EchoServerFixture
{
    /// <summary>The message limit of this server.</summary>
    public const int Limit = 64 * 1024;

    public SmallLimitEchoServerFixture()
        : base(Limit, TransportPath.TransportPipe)
    {
    }

    protected SmallLimitEchoServerFixture(TransportPath path)
        : base(Limit, path)
    {
    }
}

/// <summary>The default server, its connections going through the upgrade stream instead of the transport pipe.</summary>
public sealed class UpgradeStreamEchoServerFixture() : EchoServerFixture(DefaultMaxMessageBytes, TransportPath.UpgradeStream);

/// <summary>The 64 KiB server, its connections going through the upgrade stream instead of the transport pipe.</summary>
public sealed class UpgradeStreamSmallLimitEchoServerFixture() : SmallLimitEchoServerFixture(TransportPath.UpgradeStream);
