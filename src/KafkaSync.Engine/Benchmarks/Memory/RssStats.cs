namespace KafkaSync.Engine.Benchmarks.Memory;

/// <summary>Resident memory of one agent over a phase of `bench memory`: the least, the median and the most of its samples.</summary>
/// <param name="Min">Smallest sample, bytes.</param>
/// <param name="Median">Median sample, bytes.</param>
/// <param name="Max">Largest sample, bytes.</param>
/// <param name="Samples">How many samples (0: the agent was not running).</param>
public sealed record RssStats(long Min, long Median, long Max, int Samples)
{
    /// <summary>No samples.</summary>
    public static RssStats Empty { get; } = new(0, 0, 0, 0);

    /// <summary>The figures of <paramref name="bytes"/>; zeros (a process not yet or no longer there) are left out.</summary>
    public static RssStats Of(IEnumerable<long> bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var sorted = bytes.Where(b => b > 0).Order().ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }

        // The lower median for an even count: a figure that was really measured.
        return new RssStats(sorted[0], sorted[(sorted.Length - 1) / 2], sorted[^1], sorted.Length);
    }

    /// <summary><see cref="Max"/> over <paramref name="baseline"/>'s median; 0 when either has no samples.</summary>
    public double PeakOver(RssStats baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return Samples == 0 || baseline.Median == 0 ? 0 : (double)Max / baseline.Median;
    }

    /// <summary>"min/median/max MiB", e.g. "92/97/110 MiB".</summary>
    public override string ToString() => Samples == 0 ? "-" : $"{Min >> 20}/{Median >> 20}/{Max >> 20} MiB";
}
