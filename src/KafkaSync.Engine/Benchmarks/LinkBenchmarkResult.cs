namespace KafkaSync.Engine.Benchmarks;

/// <summary>The figures of one <c>kafkasync bench link</c> run.</summary>
/// <param name="Records">Records moved from the source queue to the target queue.</param>
/// <param name="RawBytes">Their payload bytes (serialized records, as the queues hold them).</param>
/// <param name="WireBytes">Bytes the source sent on the link (frames, envelopes, handshake, heartbeats).</param>
/// <param name="BaselineBytes">zstd bytes of the same records in independent 16 KiB batches per partition, at the same level.</param>
/// <param name="Elapsed">From the sender's start to the last record acknowledged as durable.</param>
/// <param name="FinalLevel">The zstd level in use at the end (differs from the start with the adaptive level).</param>
/// <param name="CpuTime">Processor time the whole process (both ends of the link) used meanwhile.</param>
public sealed record LinkBenchmarkResult(long Records, long RawBytes, long WireBytes, long BaselineBytes, TimeSpan Elapsed, int FinalLevel, TimeSpan CpuTime)
{
    /// <summary>Raw payload megabytes (10^6) per CPU-second of both ends: a figure that other load on the machine does not distort.</summary>
    public double RawMegabytesPerCpuSecond => RawBytes / 1e6 / CpuTime.TotalSeconds;

    /// <summary>Raw payload megabytes (10^6) per second.</summary>
    public double RawMegabytesPerSecond => RawBytes / 1e6 / Elapsed.TotalSeconds;

    /// <summary>Records per second.</summary>
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;

    /// <summary>Raw payload bytes per wire byte.</summary>
    public double CompressionRatio => (double)RawBytes / WireBytes;

    /// <summary>Wire bytes divided by the Kafka-batch baseline's bytes: below 1 the link sends less.</summary>
    public double WireVsKafkaBatches => (double)WireBytes / BaselineBytes;
}
