using System.Globalization;

namespace WsGame.Bench;

/// <summary>
/// Reads the server's CPU time and resident memory from /proc when its pid is known (Linux only).
/// Figures that need it are left out when it is not: the runner still has its own view.
/// </summary>
public sealed class ServerProbe(int? pid)
{
    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat. 100 on every Linux the benchmark targets.
    private const double ClockTicksPerSecond = 100;

    public bool Available => pid is not null && File.Exists($"/proc/{pid}/stat");

    /// <summary>User plus system CPU seconds the server has used so far; null without a pid.</summary>
    public double? CpuSeconds()
    {
        if (!Available)
        {
            return null;
        }
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name is in parentheses and may hold spaces: count fields after the last ')'.
        // Fields from there: state(3) ppid(4) ... utime(14) stime(15), so utime is the 12th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / ClockTicksPerSecond;
    }

    /// <summary>Resident set size (VmRSS) in bytes; null without a pid.</summary>
    public long? RssBytes()
    {
        if (!Available)
        {
            return null;
        }
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }
        return null;
    }

    /// <summary>Starts measuring CPU over an interval; <see cref="CpuMeter.Percent"/> ends it.</summary>
    public CpuMeter StartCpu() => new(this);

    /// <summary>Server CPU over an interval, as a percentage of one core (100 = one core busy).</summary>
    public sealed class CpuMeter
    {
        private readonly ServerProbe _probe;
        private readonly double? _startCpu;
        private readonly System.Diagnostics.Stopwatch _wall = System.Diagnostics.Stopwatch.StartNew();
        private readonly TimeSpan _startOwnCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

        internal CpuMeter(ServerProbe probe)
        {
            _probe = probe;
            _startCpu = probe.CpuSeconds();
        }

        /// <summary>Server CPU percent since the start; null without a pid.</summary>
        public double? Percent()
        {
            var end = _probe.CpuSeconds();
            return end is null || _startCpu is null ? null : (end.Value - _startCpu.Value) / _wall.Elapsed.TotalSeconds * 100;
        }

        /// <summary>The load generator's own CPU percent since the start: near 100 means it, not the server, may be the limit.</summary>
        public double GeneratorPercent() =>
            (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - _startOwnCpu).TotalSeconds / _wall.Elapsed.TotalSeconds * 100;

        /// <summary>Adds server_cpu_percent (when known) and generator_cpu_percent to <paramref name="result"/>.</summary>
        public void Report(ScenarioResult result)
        {
            if (Percent() is { } percent)
            {
                result["server_cpu_percent"] = Math.Round(percent, 1);
            }
            result["generator_cpu_percent"] = Math.Round(GeneratorPercent(), 1);
        }
    }
}
