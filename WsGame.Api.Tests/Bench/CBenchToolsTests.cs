using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Bench;

/// <summary>
/// The benchmark's C tools, built with the machine's gcc as bench/run.sh builds them: wsload (the echo load
/// generator) measures real echoes and fails on wrong ones; the reference epoll echo server answers a real
/// client. Correctness only; what they measure is for bench/run.sh.
/// </summary>
public sealed class CBenchToolsTests
{
    private static readonly Lazy<string> Tools = new(BuildTools);

    [Fact]
    public async Task Wsload_echoes_against_WsGame_and_reports_rate_latency_and_both_cpus()
    {
        await using var server = new WsGameServer();
        var port = server.WebSocketUri("/ws/echo").Port;

        var run = await WsloadAsync("--mode", "rtt", "--port", $"{port}", "--connections", "4", "--warm-up", "0.3", "--seconds", "1",
            "--server-pid", $"{Environment.ProcessId}");

        Assert.True(run.ExitCode == 0, $"wsload failed: {run}");
        using var report = JsonDocument.Parse(run.StandardOutput);
        var figures = report.RootElement.GetProperty("figures");
        Assert.True(report.RootElement.GetProperty("ok").GetBoolean());
        Assert.True(figures.GetProperty("messages_per_s").GetDouble() > 100, $"too few echoes: {run}");
        Assert.InRange(figures.GetProperty("rtt_p50_ms").GetDouble(), 0.001, 1000);
        Assert.True(figures.GetProperty("rtt_p99_ms").GetDouble() >= figures.GetProperty("rtt_p50_ms").GetDouble());
        Assert.True(figures.GetProperty("server_cpu_percent").GetDouble() > 0, $"no server CPU: {run}");
        Assert.True(figures.TryGetProperty("generator_cpu_percent", out _));
    }

    [Fact]
    public async Task Wsload_fails_a_run_whose_answers_are_not_echoes()
    {
        // The game endpoint answers a bad message with an error: not an echo of the same length.
        await using var server = new WsGameServer();
        var port = server.WebSocketUri("/ws").Port;

        var run = await WsloadAsync("--mode", "rtt", "--port", $"{port}", "--path", "/ws", "--connections", "1", "--warm-up", "0", "--seconds", "0.5");

        Assert.Equal(1, run.ExitCode);
        using var report = JsonDocument.Parse(run.StandardOutput);
        Assert.False(report.RootElement.GetProperty("ok").GetBoolean());
        Assert.Contains(report.RootElement.GetProperty("failures").EnumerateArray(), failure => failure.GetString()!.Contains("wrong length"));
    }

    [Fact]
    public async Task The_reference_c_server_echoes_text_and_large_binary_to_a_real_client_and_wsload_measures_bulk()
    {
        var port = FreePort();
        using var echo = Process.Start(new ProcessStartInfo(Path.Combine(Tools.Value, "c-echo"), $"{port}") { UseShellExecute = false })!;
        try
        {
            await WaitForListenerAsync(port);
            using (var client = new ClientWebSocket())
            {
                await client.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/echo"), CancellationToken.None);
                await client.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
                Assert.Equal("hello", Encoding.UTF8.GetString(await ReceiveAsync(client)));
                var large = new byte[200_000];
                new Random(7).NextBytes(large);
                await client.SendAsync(large, WebSocketMessageType.Binary, true, CancellationToken.None);
                Assert.Equal(large, await ReceiveAsync(client));
            }

            var run = await WsloadAsync("--mode", "bulk", "--size", "65536", "--port", $"{port}", "--connections", "2", "--warm-up", "0.2", "--seconds", "0.5",
                "--server-pid", $"{echo.Id}");
            Assert.True(run.ExitCode == 0, $"wsload failed: {run}");
            using var report = JsonDocument.Parse(run.StandardOutput);
            Assert.True(report.RootElement.GetProperty("figures").GetProperty("megabytes_per_s").GetDouble() > 1, $"no bulk: {run}");
        }
        finally
        {
            echo.Kill(); // only the process this test started, by its handle
            await echo.WaitForExitAsync();
        }
    }

    private static Task<ClientProcess.Run> WsloadAsync(params string[] arguments) =>
        ClientProcess.RunAsync(Path.Combine(Tools.Value, "wsload"), arguments, RepositoryPaths.Root, TimeSpan.FromSeconds(60));

    private static async Task<byte[]> ReceiveAsync(ClientWebSocket client)
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        WebSocketReceiveResult result;
        do
        {
            result = await client.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return message.ToArray();
    }

    /// <summary>Compiles both tools once per test run, as bench/run.sh does, into a directory of their own.</summary>
    private static string BuildTools()
    {
        var directory = Directory.CreateTempSubdirectory("wsgame-ctools-").FullName;
        foreach (var (source, output) in new[] { ("bench/loadgen/wsload.c", "wsload"), ("bench/peers/c-epoll/echo.c", "c-echo") })
        {
            var gcc = ClientProcess.RunAsync("gcc", ["-O2", "-Wall", "-Werror", "-o", Path.Combine(directory, output), source, "-lm"],
                RepositoryPaths.Root, TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
            Assert.True(gcc.ExitCode == 0, $"gcc could not build {source} (scripts/install-test-deps.sh installs gcc): {gcc}");
        }
        return directory;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForListenerAsync(int port)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        Assert.Fail($"the reference server did not listen on {port}");
    }
}
