namespace KafkaSync.Engine.Metrics;

/// <summary>
/// One topic-partition's traffic, read at scrape time. Usually one thread counts a partition, but
/// the target's delivery reports can also be served on its producing thread while the producer's
/// buffer is full, so the counts are interlocked.
/// </summary>
internal sealed class PartitionSlot(string topic, int partition)
{
    private long _records;
    private long _bytes;
    private long _lastLatencyMs = -1;

    public string Topic { get; } = topic;

    public int Partition { get; } = partition;

    public long Records => Interlocked.Read(ref _records);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Milliseconds from the last counted record's Kafka timestamp to when it was counted (its age
    /// when consumed, or its replication latency when delivered); -1 before any timestamped record.
    /// </summary>
    public long LastLatencyMs => Volatile.Read(ref _lastLatencyMs);

    /// <summary>Counts one record of <paramref name="bytes"/>; <paramref name="latencyMs"/> is negative when the record has no timestamp.</summary>
    public void Add(int bytes, long latencyMs)
    {
        Interlocked.Increment(ref _records);
        Interlocked.Add(ref _bytes, bytes);
        if (latencyMs >= 0)
        {
            Volatile.Write(ref _lastLatencyMs, latencyMs);
        }
    }
}
