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

    /// <summary>One second of the run: the generator timer's worst lateness, server CPU (null without a pid), steal.</summary>
    public readonly record struct Second(double GeneratorLagMs, double? ServerCpuPercent, double StealMs);

    private MachineWatch(ServerProbe server, long since)
    {
        _server = server;
        _since = since;
        _loop = Task.Run(WatchAsync);
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

    private async Task WatchAsync()
    {
        var secondStarted = _since;
        var cpu = _server.CpuSeconds();
        var steal = StealTicks();
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
            worstLag = Math.Max(worstLag, (Stopwatch.GetElapsedTime(before, now) - Period).TotalMilliseconds);
            var wholeSeconds = (int)((now - _since) / Stopwatch.Frequency);
            if (wholeSeconds <= _seconds.Count)
            {
                continue;
            }
            // A second is over (or several, when this timer itself was held up): each gets the figures of the
            // span since the last one, so entry N stays second N of the run, as the late deliveries are counted.
            var span = Stopwatch.GetElapsedTime(secondStarted, now).TotalSeconds;
            var seconds = wholeSeconds - _seconds.Count;
            var cpuNow = _server.CpuSeconds();
            var stealNow = StealTicks();
            var entry = new Second(
                Math.Round(worstLag, 1),
                cpu is null || cpuNow is null ? null : Math.Round((cpuNow.Value - cpu.Value) / span * 100, 1),
                (stealNow - steal) * MillisecondsPerTick / seconds);
            for (var i = 0; i < seconds; i++)
            {
                _seconds.Add(entry);
            }
            (secondStarted, cpu, steal, worstLag) = (now, cpuNow, stealNow, 0);
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
