using System.Collections.Concurrent;

namespace KafkaSync.Engine.Metrics;

/// <summary>
/// Records and bytes per topic-partition, counted on an agent's Kafka side (consumed by the source,
/// delivered by the target) and read at scrape time. Exists only while metrics are on; per record
/// the hot path costs a dictionary hit (skipped while records keep coming from the same partition),
/// a coarse clock read, a histogram observation and two interlocked adds.
/// </summary>
internal sealed class PartitionTraffic
{
    private readonly ConcurrentDictionary<(string Topic, int Partition), PartitionSlot> _slots = new();
    private readonly Prometheus.Histogram? _latency;
    private PartitionSlot? _last;

    /// <summary>Creates the counters; <paramref name="latency"/>, when given, also receives every record's latency in seconds.</summary>
    public PartitionTraffic(Prometheus.Histogram? latency = null) => _latency = latency;

    /// <summary>Every partition seen so far.</summary>
    public ICollection<PartitionSlot> Slots => _slots.Values;

    /// <summary>The counters of <paramref name="topic"/>[<paramref name="partition"/>], created on first use.</summary>
    public PartitionSlot For(string topic, int partition)
    {
        // Consumed and queued records come in runs from one partition: most lookups end here.
        var last = Volatile.Read(ref _last);
        if (last is not null && last.Partition == partition && string.Equals(last.Topic, topic, StringComparison.Ordinal))
        {
            return last;
        }

        var slot = _slots.GetOrAdd((topic, partition), static key => new PartitionSlot(key.Topic, key.Partition));
        Volatile.Write(ref _last, slot);
        return slot;
    }

    /// <summary>
    /// Counts one record of <paramref name="bytes"/> whose Kafka timestamp is
    /// <paramref name="timestampMs"/> (Unix ms; 0 or less: none) as it is consumed or delivered now.
    /// </summary>
    public void Count(PartitionSlot slot, int bytes, long timestampMs)
    {
        long latencyMs = -1;
        if (timestampMs > 0)
        {
            // Clocks of two sites disagree a little: a record "from the future" counts as 0.
            latencyMs = Math.Max(0, CoarseClock.UnixMs - timestampMs);
            _latency?.Observe(latencyMs / 1000.0);
        }

        slot.Add(bytes, latencyMs);
    }
}
