using System.Diagnostics;

namespace WsGame.Bench;

/// <summary>Round-trip times in microseconds, kept per connection (no locks) and merged at the end.</summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _micros = new(1 << 16);

    public void Record(long startTimestamp) =>
        _micros.Add((Stopwatch.GetTimestamp() - startTimestamp) * 1_000_000 / Stopwatch.Frequency);

    public int Count => _micros.Count;

    /// <summary>p-th percentile (0-100) of every recorder's samples, in milliseconds.</summary>
    public static double Percentile(IEnumerable<LatencyRecorder> recorders, double p)
    {
        var all = recorders.SelectMany(r => r._micros).Order().ToArray();
        if (all.Length == 0)
        {
            return double.NaN;
        }
        var index = (int)Math.Min(all.Length - 1, Math.Ceiling(p / 100 * all.Length) - 1);
        return all[Math.Max(0, index)] / 1000.0;
    }
}
