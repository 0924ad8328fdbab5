namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>One Kafka record on its way to a node: where it came from, its value as received, and its line protocol.</summary>
internal sealed record PendingRecord(string Topic, int Partition, long Offset, long Timestamp, byte[] Value, byte[] Lines, int Points);
