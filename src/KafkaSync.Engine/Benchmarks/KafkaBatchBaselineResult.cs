namespace KafkaSync.Engine.Benchmarks;

/// <summary>What <see cref="KafkaBatchBaseline.Measure"/> found.</summary>
/// <param name="Records">Records packed.</param>
/// <param name="Batches">Batches made (over all partitions).</param>
/// <param name="RawBytes">Uncompressed records-section bytes.</param>
/// <param name="CompressedBytes">Bytes zstd produced for all batches: the baseline's wire bytes.</param>
public sealed record KafkaBatchBaselineResult(long Records, long Batches, long RawBytes, long CompressedBytes)
{
    /// <summary>RawBytes / CompressedBytes.</summary>
    public double Ratio => CompressedBytes == 0 ? 0 : (double)RawBytes / CompressedBytes;
}
