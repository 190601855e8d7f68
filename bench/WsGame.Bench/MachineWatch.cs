using System.Diagnostics;
using System.Globalization;

namespace WsGame.Bench;

/// <summary>
/// Watches a run second by second from outside the server, so that a burst of late deliveries can be set
/// beside what the machine was doing then: how late a 10 ms timer fires in the load generator (its own
/// stalls), the server's CPU in that second, and the time the hypervisor took from this VM (steal, all
/// cores). A late burst with an idle server and a late generator timer is not the server's doing.
/// </summary>
public sealed class MachineWatch : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    // USER_HZ: the unit of /proc/stat. 100 on every Linux the benchmark targets.
    private const double MillisecondsPerTick = 1000 / 100.0;

    private readonly List<Second> _seconds = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ServerProbe _server;
    private readonly long _since;
    private readonly Task _loop;

    /// <summary>One second of the run: the generator timer's worst lateness, server CPU (null without a pid), steal (ms per second).</summary>
    public readonly record struct Second(double GeneratorLagMs, double? ServerCpuPercent, double StealMs);

    private MachineWatch(ServerProbe server, long since)
    {
        _server = server;
        _since = since;
        // The baselines of second 0 are read here, at the start, not when the loop first runs.
        var (cpu, steal) = (ServerCpuSeconds(), StealTicks());
        _loop = Task.Run(() => WatchAsync(cpu, steal));
    }

    /// <summary>Starts watching; second 0 begins at <paramref name="since"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static MachineWatch Start(ServerProbe server, long since) => new(server, since);

    /// <summary>Stops watching (if not stopped yet) and returns every whole second seen.</summary>
    public async Task<IReadOnlyList<Second>> StopAsync()
    {
        _stop.Cancel();
        await _loop;
        return _seconds;
    }

    /// <summary>Stops watching when the run ended before <see cref="StopAsync"/> (a failure), so no timer outlives it.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task WatchAsync(double? cpu, long steal)
    {
        var secondStarted = _since;
        var worstLag = 0.0;
        while (!_stop.IsCancellationRequested)
        {
            var before = Stopwatch.GetTimestamp();
            try
            {
                await Task.Delay(Period, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var now = Stopwatch.GetTimestamp();
            var lag = (Stopwatch.GetElapsedTime(before, now) - Period).TotalMilliseconds;
            var second = (int)((now - _since) / Stopwatch.Frequency);
            if (second <= _seconds.Count)
            {
                worstLag = Math.Max(worstLag, lag);
                continue;
            }
            // This tick ended in a new second, so one second is over (several, when this timer itself was held up).
            // Each of them gets the rates of the span since the last one, so entry N stays second N of the run, as
            // the late deliveries are counted. A stall that spans the boundary is charged to both sides: the seconds
            // it held up, and the new one, where the deliveries it delayed arrive.
            var span = Stopwatch.GetElapsedTime(secondStarted, now).TotalSeconds;
            var (cpuNow, stealNow) = (ServerCpuSeconds(), StealTicks());
            var entry = new Second(
                Math.Round(Math.Max(worstLag, lag), 1),
                cpu is null || cpuNow is null ? null : Math.Round((cpuNow.Value - cpu.Value) / span * 100, 1),
                Math.Round((stealNow - steal) * MillisecondsPerTick / span, 1));
            while (_seconds.Count < second)
            {
                _seconds.Add(entry);
            }
            (secondStarted, cpu, steal, worstLag) = (now, cpuNow, stealNow, lag);
        }
    }

    /// <summary>The server's CPU seconds so far; null without a pid or once the server is gone (a read can race its exit).</summary>
    private double? ServerCpuSeconds()
    {
        try
        {
            return _server.CpuSeconds();
        }
        catch (Exception exception) when (exception is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The machine's steal time so far (the eighth number of /proc/stat's "cpu" line), in ticks; 0 where unknown.</summary>
    private static long StealTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 8 ? long.Parse(fields[8], CultureInfo.InvariantCulture) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
