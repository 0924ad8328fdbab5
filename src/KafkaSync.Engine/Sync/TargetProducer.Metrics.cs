using Confluent.Kafka;
using KafkaSync.Engine.Metrics;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Per topic-partition counts for the metrics endpoint: a record counts once delivered (idempotent
/// mode) or once its transaction committed (exactly-once), under its target topic and partition.
/// </summary>
internal sealed partial class TargetProducer
{
    /// <summary>Records of the open transaction, counted when it commits.</summary>
    private readonly List<CountedRecord?> _inTransaction = [];

    /// <summary>What to count for <paramref name="record"/> once delivered to <paramref name="target"/>; null while metrics are off.</summary>
    private CountedRecord? Counted(TopicPartition target, in SerializedRecord record) =>
        _counters.Traffic is { } traffic
            ? new CountedRecord(
                traffic.For(target.Topic, target.Partition.Value),
                record.Key.Bytes.Length + record.Value.Bytes.Length,
                record.TimestampType == KafkaTimestampType.NotAvailable ? 0 : record.Timestamp)
            : null;

    private void Count(CountedRecord? counted)
    {
        if (counted is { } c)
        {
            _counters.Traffic?.Count(c.Slot, c.Bytes, c.TimestampMs);
        }
    }

    /// <summary>A produced record's partition counters, size and source timestamp.</summary>
    private readonly record struct CountedRecord(PartitionSlot Slot, int Bytes, long TimestampMs);
}
