using System.Diagnostics;

namespace WsGame.Api.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server owned by the test run: a new cluster in a temp folder (initdb), started on a
/// free loopback port with pg_ctl, stopped and removed on dispose. Debian's package (installed by
/// scripts/install-test-deps.sh) refuses to run as root, so as root it runs as the postgres user.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"wsgame-pg-{Guid.NewGuid():N}");
    private readonly string _bin = FindBin();

    public int Port { get; } = ServerProcess.FreePort();

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>A connection string to a database of this name (Npgsql creates it on the first migration).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=3;Command Timeout=5";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        foreach (var folder in new[] { _folder, DataFolder, Path.Combine(_folder, "sock") })
        {
            Directory.CreateDirectory(folder);
            await OwnAsync(folder);
        }
        await RunAsync("initdb", "-D", DataFolder, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync");
        await StartAsync();
    }

    /// <summary>
    /// Starts (or restarts after <see cref="StopAsync"/>) the server on the same port and data. fsync is off (the
    /// machine does not crash in a test), but commits are synchronous: a commit the writer was told of survives
    /// an immediate stop, as on a real server.
    /// </summary>
    public Task StartAsync() => RunAsync("pg_ctl", "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-o",
        $"-p {Port} -k {Path.Combine(_folder, "sock")} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");

    /// <summary>An outage: the server stops at once, dropping its connections.</summary>
    public Task StopAsync() => RunAsync("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");

    public async Task DisposeAsync()
    {
        try
        {
            await RunAsync("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped by a test.
        }
        Directory.Delete(_folder, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string FindBin()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var newest = versions.Where(dir => File.Exists(Path.Combine(dir, "bin", "initdb")))
            .OrderByDescending(dir => int.TryParse(Path.GetFileName(dir), out var version) ? version : 0).FirstOrDefault();
        return newest is null ? "" : Path.Combine(newest, "bin");
    }

    private async Task OwnAsync(string folder)
    {
        if (IsRoot)
        {
            await ExecAsync("chown", "postgres:postgres", folder);
            await ExecAsync("chmod", "700", folder);
        }
    }

    private Task RunAsync(string tool, params string[] arguments)
    {
        var path = _bin.Length > 0 ? Path.Combine(_bin, tool) : tool;
        return IsRoot ? ExecAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : ExecAsync(path, arguments);
    }

    private static async Task ExecAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
