namespace WsGame.Bench;

/// <summary>
/// What one scenario run produced: flat numeric figures (what the runner tabulates), failures
/// (anything lost or broken; any failure makes the exit code non-zero) and optional details
/// (per-step tables and the like, kept in the JSON for whoever reads it).
/// </summary>
public sealed class ScenarioResult
{
    public Dictionary<string, double> Figures { get; } = new(StringComparer.Ordinal);

    public List<string> Failures { get; } = [];

    public Dictionary<string, object> Details { get; } = new(StringComparer.Ordinal);

    public double this[string figure]
    {
        get => Figures[figure];
        set => Figures[figure] = value;
    }

    /// <summary>Records a failure when <paramref name="count"/> is not zero; returns whether it was.</summary>
    public bool FailIfAny(double count, string what)
    {
        if (count != 0)
        {
            Failures.Add($"{what}: {count}");
            return true;
        }
        return false;
    }
}
