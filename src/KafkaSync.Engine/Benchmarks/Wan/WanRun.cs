namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>One contender of `bench wan`: its figures while a backlog drained and at a fixed rate.</summary>
/// <param name="Name">"kafkasync", "mirror (source none)" or "mirror (source zstd)".</param>
/// <param name="RecordsPerSecond">The backlog's records over the time from when data began to cross the link (64 KiB past the handshakes) until the last record was in the target cluster.</param>
/// <param name="LinkBytesPerRecord">Bytes the link carried toward the target per record (frames on the veth, headers included), over the whole drain.</param>
/// <param name="ReverseBytesPerRecord">Bytes the link carried toward the source per record (acks, fetch requests).</param>
/// <param name="Utilisation">Share of the cap used toward the target between the moments 10% and 90% of the drain's link bytes had crossed.</param>
/// <param name="SourceCpuPerMillion">CPU-seconds of the source-side process per million records over the whole drain, start-up included (0: nothing runs there but the broker).</param>
/// <param name="TargetCpuPerMillion">CPU-seconds of the target-side process per million records.</param>
/// <param name="SourcePeakRss">Peak resident bytes of the source-side process (0: none).</param>
/// <param name="TargetPeakRss">Peak resident bytes of the target-side process.</param>
/// <param name="LatencyP50Ms">Median produce-to-visible time at the fixed rate.</param>
/// <param name="LatencyP99Ms">99th percentile of the same.</param>
public sealed record WanRun(
    string Name,
    double RecordsPerSecond,
    double LinkBytesPerRecord,
    double ReverseBytesPerRecord,
    double Utilisation,
    double SourceCpuPerMillion,
    double TargetCpuPerMillion,
    long SourcePeakRss,
    long TargetPeakRss,
    long LatencyP50Ms,
    long LatencyP99Ms)
{
    /// <summary>CPU-seconds of both sides per million records.</summary>
    public double CpuPerMillion => SourceCpuPerMillion + TargetCpuPerMillion;
}
