using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WsGame.Api.Tests.Infrastructure;

/// <summary>
/// The server as an operator runs it: its own process (<c>dotnet WsGame.Api.dll</c>) with the
/// repository's content root, command-line arguments, and captured output. Killed on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    // Its own records, unless the test names a data folder (to restart a server on the same one).
    private TestDataDirectory? _data;

    private ServerProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public const string SiloPortSetting = "WsGame:Cluster:SiloPort";
    public const string GatewayPortSetting = "WsGame:Cluster:GatewayPort";

    public bool HasExited => _process.HasExited;

    /// <summary>The process id, for a test that signals it (a kill -9 of a cluster node).</summary>
    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public static ServerProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.ApiProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepositoryPaths.ApiAssembly);
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(RepositoryPaths.ApiProject);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        TestDataDirectory? data = null;
        if (!arguments.Any(argument => argument.Contains(TestDataDirectory.Setting, StringComparison.Ordinal)))
        {
            data = new TestDataDirectory();
            info.ArgumentList.Add($"--{TestDataDirectory.Setting}={data.Path}");
        }
        if (!arguments.Any(argument => argument.Contains(SiloPortSetting, StringComparison.Ordinal)))
        {
            // Every process is an Orleans silo: its own ports, not the default ones another test's server holds.
            var (silo, gateway) = TwoFreePorts();
            info.ArgumentList.Add($"--{SiloPortSetting}={silo}");
            info.ArgumentList.Add($"--{GatewayPortSetting}={gateway}");
        }
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment.Remove("ASPNETCORE_URLS");

        var server = new ServerProcess(new Process { StartInfo = info }) { _data = data };
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Two different loopback ports that nothing listens on right now (both held while the second is chosen).</summary>
    public static (int First, int Second) TwoFreePorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
    }

    /// <summary>A TCP port on loopback that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Polls <paramref name="url"/> until it answers, the process exits, or the timeout passes.</summary>
    public async Task<HttpResponseMessage> WaitUntilServingAsync(HttpClient client, string url, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"server exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                return await client.GetAsync(url);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>kill -9: the process ends at once, with no shutdown of its own.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
    }

    /// <summary>A graceful stop, as an operator's SIGTERM: the server finishes its shutdown and exits by itself.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        return await WaitForExitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _data?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
