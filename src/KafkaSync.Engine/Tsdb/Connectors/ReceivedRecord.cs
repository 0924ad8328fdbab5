namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>A Kafka record as it was received, for a dead letter: where it came from and its value.</summary>
internal sealed record ReceivedRecord(string Topic, int Partition, long Offset, long Timestamp, byte[] Value);
