namespace KafkaSync.Engine.Queue;

/// <summary>One record of a disk queue: its sequence number and its payload (a serialized KafkaRecord).</summary>
/// <param name="Seq">The queue's sequence number, assigned in append order.</param>
/// <param name="Payload">The record's bytes.</param>
public readonly record struct QueueRecord(long Seq, ReadOnlyMemory<byte> Payload);
