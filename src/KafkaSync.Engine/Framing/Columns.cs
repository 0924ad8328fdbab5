namespace KafkaSync.Engine.Framing;

/// <summary>
/// The columns of the columnar layout, in the order they follow the column-length table.
/// Records are stored grouped by topic and partition (groups in topic, partition order; records
/// in seq order within a group), so a partition's records, which share a schema and often keys,
/// sit next to each other as in a Kafka batch, yet the whole frame shares one zstd stream.
/// </summary>
internal enum Columns
{
    /// <summary>The topic table, the header-key table, then the group table (topic index, partition per group).</summary>
    Tables,

    /// <summary>Per record in seq order: 0 = stored whole in <see cref="Opaque"/>, g = group g - 1 of the group table.</summary>
    Group,

    /// <summary>Offset minus the previous offset in the same group (zig-zag), in stored order.</summary>
    OffsetDelta,

    /// <summary>Timestamp minus the previous stored record's timestamp (zig-zag).</summary>
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

    /// <summary>Length-prefixed payloads not in the canonical record format (kept byte for byte), in seq order.</summary>
    Opaque,

    // Only in frames flagged FieldColumns (see FieldColumnWriter):

    /// <summary>Per stored record: 0 = value in <see cref="ValueLength"/>/<see cref="Values"/>, t = template t - 1.</summary>
    ValueTemplate,

    /// <summary>The template table: count, then each template (length-prefixed, a NUL where a field was cut).</summary>
    Templates,

    /// <summary>Each cut field's length: template by template, field by field, record by record.</summary>
    FieldLengths,

    /// <summary>Each cut field's bytes, in the order of <see cref="FieldLengths"/>.</summary>
    FieldValues,
}
