namespace KafkaSync.Engine.Benchmarks.Memory;

/// <summary>The figures of one `bench memory` run: resident memory of each agent per phase.</summary>
/// <param name="Baseline">Both agents under the small steady flow, after warm-up: the reference.</param>
/// <param name="Fill">The source agent taking the backlog into its queue while the target agent is stopped.</param>
/// <param name="Drain">Both agents while the target agent drains the backlog.</param>
/// <param name="Outage">Both agents while the target cluster is stopped and the target queue grows.</param>
/// <param name="Recovery">Both agents while the target agent delivers the grown queue once the cluster is back.</param>
/// <param name="Steps">Resident memory at each step of the target queue's growth during the outage.</param>
/// <param name="CheckPassed">Every record reached the target cluster once.</param>
public sealed record MemoryResult(
    MemoryPhase Baseline,
    MemoryPhase Fill,
    MemoryPhase Drain,
    MemoryPhase Outage,
    MemoryPhase Recovery,
    IReadOnlyList<MemoryStep> Steps,
    bool CheckPassed)
{
    /// <summary>The source agent's largest sample after the baseline over its baseline median.</summary>
    public double SourcePeakRatio => Peak(p => p.Source).PeakOver(Baseline.Source);

    /// <summary>The target agent's largest sample after the baseline over its baseline median.</summary>
    public double TargetPeakRatio => Peak(p => p.Target).PeakOver(Baseline.Target);

    private RssStats Peak(Func<MemoryPhase, RssStats> agent) =>
        new[] { Fill, Drain, Outage, Recovery }.Select(agent).Where(s => s.Samples > 0).MaxBy(s => s.Max) ?? RssStats.Empty;
}

/// <summary>One phase of `bench memory`.</summary>
/// <param name="Name">What happened in it.</param>
/// <param name="Seconds">How long it lasted.</param>
/// <param name="Source">The source agent's resident memory.</param>
/// <param name="Target">The target agent's resident memory (no samples: it was not running).</param>
/// <param name="SourceHeapMax">The most the source agent's managed heap held, bytes.</param>
/// <param name="TargetHeapMax">The most the target agent's managed heap held, bytes.</param>
public sealed record MemoryPhase(string Name, double Seconds, RssStats Source, RssStats Target, long SourceHeapMax, long TargetHeapMax);

/// <summary>Resident memory when the target queue had grown by <paramref name="QueueGrowth"/> bytes with the target cluster stopped.</summary>
/// <param name="QueueGrowth">Bytes the target queue had grown by.</param>
/// <param name="Seconds">Seconds since the cluster was stopped.</param>
/// <param name="SourceRss">The source agent's resident bytes then.</param>
/// <param name="TargetRss">The target agent's resident bytes then.</param>
/// <param name="TargetRssFile">The file-backed part of <paramref name="TargetRss"/>.</param>
/// <param name="TargetHeap">The target agent's managed heap then.</param>
public sealed record MemoryStep(long QueueGrowth, double Seconds, long SourceRss, long TargetRss, long TargetRssFile, long TargetHeap);
