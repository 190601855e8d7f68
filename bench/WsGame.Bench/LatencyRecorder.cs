using System.Diagnostics;

namespace WsGame.Bench;

/// <summary>Latencies in microseconds, kept per connection or per task (no locks) and merged at the end.</summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _micros = new(1 << 10);

    /// <summary>Records the time from <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> timestamp) to now.</summary>
    public void Record(long startTimestamp) => Record(startTimestamp, Stopwatch.GetTimestamp());

    /// <summary>Records the time between two <see cref="Stopwatch"/> timestamps; returns it, in microseconds.</summary>
    public long Record(long startTimestamp, long endTimestamp)
    {
        var micros = (endTimestamp - startTimestamp) * 1_000_000 / Stopwatch.Frequency;
        _micros.Add(micros);
        return micros;
    }

    public int Count => _micros.Count;

    /// <summary>p-th percentile (0-100) of every recorder's samples, in milliseconds; NaN without samples.</summary>
    public static double Percentile(IEnumerable<LatencyRecorder> recorders, double p)
    {
        var all = recorders.SelectMany(r => r._micros).Order().ToArray();
        if (all.Length == 0)
        {
            return double.NaN;
        }
        // Nearest rank. The small tolerance keeps float error from moving p99.9 of 1000 samples
        // (99.9 / 100 * 1000 = 999.0000000000001) up to the maximum.
        var index = (int)Math.Min(all.Length - 1, Math.Ceiling(p / 100 * all.Length - 1e-9) - 1);
        return all[Math.Max(0, index)] / 1000.0;
    }
}
