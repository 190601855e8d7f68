using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WsGame.Api.Tests.Infrastructure;

/// <summary>
/// The real app on real Kestrel, bound to a free loopback port, with optional setting overrides.
/// TestServer is not used: it has no raw upgrade stream, and the point is to test the real thing.
/// </summary>
public sealed class WsGameServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly TestDataDirectory _data = new();

    /// <param name="settings">Configuration overrides.</param>
    /// <param name="services">Registrations added after the app's own (a test's stand-in for one of them).</param>
    public WsGameServer(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _services = services;
        // Keep the console quiet in test runs; warnings and errors still reach Problems and the console.
        _settings = new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            [TestDataDirectory.Setting] = _data.Path,
            // Every server is an Orleans silo: ports of its own, not the defaults that the servers of tests running
            // beside it would hold too.
        };
        var (silo, gateway) = ServerProcess.TwoFreePorts();
        _settings[ServerProcess.SiloPortSetting] = silo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _settings[ServerProcess.GatewayPortSetting] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        // Not UseKestrel(0): the factory then rewrites the server's addresses after the app's own
        // thread may already have started Kestrel, which fails now and then with "Addresses cannot be
        // modified after the server has started" (dotnet/aspnetcore pull request 67714). The port-0
        // loopback URL goes in as a host setting instead (ConfigureWebHost), before anything starts.
        UseKestrel();
    }

    /// <summary>Every log event at Warning or above, to assert that nothing went wrong unseen.</summary>
    public CapturedLogs Problems { get; } = new();

    /// <summary>The data folder this server was given (its own, removed with it).</summary>
    public string DataDirectory => _data.Path;

    /// <summary>The server's base address (http://127.0.0.1:port/); starts the server on first use.</summary>
    public Uri BaseAddress
    {
        get
        {
            // The factory's StartServer is not safe to call from several threads at once.
            lock (_startGate)
            {
                if (_baseAddress is null)
                {
                    StartServer();
                    var bound = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
                    _baseAddress = new Uri(bound.EndsWith('/') ? bound : bound + "/");
                }
                return _baseAddress;
            }
        }
    }

    private readonly object _startGate = new();
    private Uri? _baseAddress;

    /// <summary>The WebSocket address of <paramref name="path"/> on this server.</summary>
    public Uri WebSocketUri(string path) => new UriBuilder(BaseAddress) { Scheme = "ws", Path = path }.Uri;

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(Problems);
            _services?.Invoke(services);
        });
    }
}
