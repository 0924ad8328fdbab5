namespace KafkaSync.Engine.Queue;

/// <summary>One record read from a <see cref="DiskQueue"/>: its sequence number and its payload bytes.</summary>
/// <param name="Seq">The sequence number the queue gave the record on append.</param>
/// <param name="Payload">The bytes appended (in practice a serialized KafkaRecord).</param>
public readonly record struct QueueRecord(long Seq, ReadOnlyMemory<byte> Payload);
