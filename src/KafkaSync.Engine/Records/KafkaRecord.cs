namespace KafkaSync.Engine.Records;

/// <summary>How Kafka set a record's timestamp (Confluent.Kafka's TimestampType, kept as a byte).</summary>
public enum KafkaTimestampType : byte
{
    /// <summary>No timestamp.</summary>
    NotAvailable = 0,

    /// <summary>Set by the producer.</summary>
    CreateTime = 1,

    /// <summary>Set by the broker on append.</summary>
    LogAppendTime = 2,
}

/// <summary>One header of a Kafka record; a header's value may be null.</summary>
/// <remarks>A struct: records carry a few headers each, and every record passes through twice.</remarks>
public readonly record struct KafkaHeader(string Key, byte[]? Value);

/// <summary>
/// Everything Kafka gave us about one record. This is what the disk queues hold (serialized by
/// <see cref="KafkaRecordSerializer"/>) and what the link carries.
/// </summary>
public sealed record KafkaRecord
{
    /// <summary>The source topic.</summary>
    public required string Topic { get; init; }

    /// <summary>The source partition.</summary>
    public required int Partition { get; init; }

    /// <summary>The offset in the source partition.</summary>
    public required long Offset { get; init; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; init; }

    /// <summary>Who set <see cref="Timestamp"/>.</summary>
    public KafkaTimestampType TimestampType { get; init; } = KafkaTimestampType.CreateTime;

    /// <summary>The key, or null when the record had none.</summary>
    public byte[]? Key { get; init; }

    /// <summary>The value, or null for a tombstone.</summary>
    public byte[]? Value { get; init; }

    /// <summary>Headers in their original order (keys may repeat).</summary>
    public IReadOnlyList<KafkaHeader> Headers { get; init; } = [];

    /// <summary>True when both records carry the same data, byte for byte.</summary>
    public bool ContentEquals(KafkaRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Topic == other.Topic && Partition == other.Partition && Offset == other.Offset
            && Timestamp == other.Timestamp && TimestampType == other.TimestampType
            && BytesEqual(Key, other.Key) && BytesEqual(Value, other.Value)
            && Headers.Count == other.Headers.Count
            && Headers.Zip(other.Headers).All(p => p.First.Key == p.Second.Key && BytesEqual(p.First.Value, p.Second.Value));
    }

    private static bool BytesEqual(byte[]? a, byte[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
