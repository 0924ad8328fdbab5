using System.Globalization;

namespace KafkaSync.Engine.Benchmarks.Memory;

/// <summary>
/// `kafkasync bench memory`: resident memory (VmRSS) of the source and target agents, each in its
/// own process, sampled every 250 ms through four phases: a small steady flow (the baseline), a
/// backlog of many target producer buffers held in the source queue while the target agent is
/// stopped and then drained, the target cluster down while the target queue grows by gigabytes,
/// and the target cluster back while that queue is delivered. Both clusters are embedded clusters
/// in processes of their own (<see cref="MemoryCluster"/>), so their memory is not counted; after
/// the drain and at the end every record is checked on the target (nothing lost or doubled).
/// </summary>
public static partial class MemoryBenchmark
{
    /// <summary>The benchmark's topic, on both clusters.</summary>
    public const string Topic = "memory";

    /// <summary>How often each agent's memory is sampled.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs the benchmark, writing one line per figure to <paramref name="output"/>.</summary>
    /// <exception cref="Configuration.OptionsException">A setting is out of range.</exception>
    /// <exception cref="InvalidOperationException">A child process failed or a phase did not finish in time.</exception>
    public static async Task<MemoryResult> RunAsync(MemoryBenchmarkOptions options, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        if (!OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException("bench memory needs Linux: it reads each agent's memory from /proc and stops the target cluster with SIGSTOP.");
        }

        var folder = Path.Combine(options.Folder ?? Path.GetTempPath(), $"kafkasync-memory-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(folder);
        try
        {
            await using var session = await Session.StartAsync(options, folder, output, ct);
            return await session.RunAsync(ct);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The closing line, in the style of the other benchmarks.</summary>
    public static string Summary(MemoryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return string.Create(CultureInfo.InvariantCulture,
            $"memory: source-rss-peak-vs-baseline {result.SourcePeakRatio:0.00}, target-rss-peak-vs-baseline {result.TargetPeakRatio:0.00} (target ≤ 1.2){(result.CheckPassed ? "" : "; CHECK FAILED")}");
    }

    /// <summary>One phase as a line: RSS min/median/max of both agents, peak against the baseline, managed heap.</summary>
    public static string Line(MemoryPhase phase, MemoryPhase baseline)
    {
        ArgumentNullException.ThrowIfNull(phase);
        ArgumentNullException.ThrowIfNull(baseline);
        var ratios = phase == baseline
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"; peak vs baseline source {Ratio(phase.Source, baseline.Source)} target {Ratio(phase.Target, baseline.Target)}");
        return string.Create(CultureInfo.InvariantCulture,
            $"  {phase.Name} ({phase.Seconds:0.0} s): RSS min/median/max source {phase.Source}, target {phase.Target}{ratios}; managed heap max source {phase.SourceHeapMax >> 20} MiB, target {phase.TargetHeapMax >> 20} MiB");
    }

    /// <summary>One step of the target queue's growth as a line.</summary>
    public static string Line(MemoryStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return string.Create(CultureInfo.InvariantCulture,
            $"    target queue +{step.QueueGrowth >> 20,5} MiB at {step.Seconds,5:0.0} s: RSS source {step.SourceRss >> 20} MiB, target {step.TargetRss >> 20} MiB (of it file-backed {step.TargetRssFile >> 20} MiB, managed heap {step.TargetHeap >> 20} MiB)");
    }

    /// <summary>
    /// Whether memory follows the backlog: each agent's median RSS over the first and the last
    /// quarter of <paramref name="samples"/> (the outage, while the target queue grows), as a line.
    /// </summary>
    internal static string Growth(IReadOnlyList<MemorySample> samples)
    {
        var quarter = Math.Max(1, samples.Count / 4);
        var first = Phase("", samples.Take(quarter).ToList());
        var last = Phase("", samples.Skip(samples.Count - quarter).ToList());
        var growth = samples.Count == 0 ? 0 : samples[^1].Target.QueueBytes - samples[0].Target.QueueBytes;
        return string.Create(CultureInfo.InvariantCulture,
            $"  RSS against the backlog: median over the first quarter of the outage vs the last (target queue +{growth >> 20:N0} MiB by then): source {first.Source.Median >> 20} → {last.Source.Median >> 20} MiB ({Change(first.Source, last.Source)}), target {first.Target.Median >> 20} → {last.Target.Median >> 20} MiB ({Change(first.Target, last.Target)})");
    }

    /// <summary>Picks the moments the target queue first grew past each multiple of <paramref name="step"/> bytes.</summary>
    internal static List<MemoryStep> Steps(IReadOnlyList<MemorySample> samples, long step)
    {
        var steps = new List<MemoryStep>();
        if (samples.Count == 0)
        {
            return steps;
        }

        var start = samples[0];
        var next = step;
        foreach (var sample in samples)
        {
            var growth = sample.Target.QueueBytes - start.Target.QueueBytes;
            if (growth >= next)
            {
                steps.Add(new MemoryStep(growth, sample.Seconds - start.Seconds, sample.Source.Rss, sample.Target.Rss, sample.Target.RssFile, sample.Target.GcHeap));
                next = (growth / step + 1) * step;
            }
        }

        return steps;
    }

    /// <summary>The figures of both agents over <paramref name="samples"/>; an agent counts once its metrics answered (a starting process is not yet an agent).</summary>
    internal static MemoryPhase Phase(string name, IReadOnlyList<MemorySample> samples) => new(
        name,
        samples.Count < 2 ? 0 : samples[^1].Seconds - samples[0].Seconds,
        RssStats.Of(samples.Where(s => s.Source.GcHeap > 0).Select(s => s.Source.Rss)),
        RssStats.Of(samples.Where(s => s.Target.GcHeap > 0).Select(s => s.Target.Rss)),
        samples.Select(s => s.Source.GcHeap).DefaultIfEmpty().Max(),
        samples.Select(s => s.Target.GcHeap).DefaultIfEmpty().Max());

    private static string Change(RssStats from, RssStats to) =>
        from.Median == 0 ? "-" : Math.Round(((double)to.Median / from.Median - 1) * 100).ToString("+0;-0;0", CultureInfo.InvariantCulture) + "%";

    private static string Ratio(RssStats phase, RssStats baseline) =>
        phase.Samples == 0 ? "-" : phase.PeakOver(baseline).ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>Both agents at one moment of `bench memory`.</summary>
/// <param name="Seconds">Seconds since the benchmark started.</param>
/// <param name="Source">The source agent.</param>
/// <param name="Target">The target agent (zeros while it is stopped).</param>
internal sealed record MemorySample(double Seconds, AgentReading Source, AgentReading Target);
