namespace KafkaSync.Engine.Records;

/// <summary>Bytes that may be null (a Kafka key, value or header value), without an array.</summary>
/// <param name="bytes">The bytes; ignored when <paramref name="isNull"/>.</param>
/// <param name="isNull">True for null, which Kafka tells apart from empty.</param>
public readonly ref struct NullableBytes(ReadOnlySpan<byte> bytes, bool isNull = false)
{
    /// <summary>Null.</summary>
    public static NullableBytes Null => new([], isNull: true);

    /// <summary>The bytes (empty when null).</summary>
    public ReadOnlySpan<byte> Bytes { get; } = isNull ? [] : bytes;

    /// <summary>True for null.</summary>
    public bool IsNull { get; } = isNull;
}
