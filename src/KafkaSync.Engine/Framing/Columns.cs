namespace KafkaSync.Engine.Framing;

/// <summary>
/// The columns of the columnar layout, in the order they follow the column-length table.
/// Grouping like with like (all lengths, all keys, all values) is what makes the layout compress.
/// </summary>
internal enum Columns
{
    /// <summary>One byte per record: 0 = parsed into the columns, 1 = stored whole in <see cref="Opaque"/>.</summary>
    Shape,

    /// <summary>The topic table, then the header-key table: a count, then length-prefixed strings.</summary>
    Tables,
    TopicIndex,
    Partition,

    /// <summary>Offset minus the previous offset of the same topic and partition in this frame (zig-zag).</summary>
    OffsetDelta,

    /// <summary>Timestamp minus the previous record's timestamp (zig-zag).</summary>
    TimestampDelta,
    TimestampType,

    /// <summary>0 for a null key, else length + 1.</summary>
    KeyLength,

    /// <summary>0 for a null value, else length + 1.</summary>
    ValueLength,
    HeaderCount,
    HeaderKeyIndex,

    /// <summary>0 for a null header value, else length + 1.</summary>
    HeaderValueLength,
    Keys,
    Values,
    HeaderValues,

    /// <summary>Length-prefixed payloads that are not in the canonical record format (kept byte for byte).</summary>
    Opaque,
}
