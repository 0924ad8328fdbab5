using System.Buffers;
using System.Text;

namespace KafkaSync.Engine.Records;

/// <summary>
/// The compact binary form of a <see cref="KafkaRecord"/> inside a queue record:
/// a format byte, then varint-prefixed fields. Nullable byte fields store length + 1 (0 = null).
/// </summary>
public static class KafkaRecordSerializer
{
    internal const byte FormatVersion = 1;

    /// <summary>Serializes <paramref name="record"/> to a new array.</summary>
    public static byte[] Serialize(KafkaRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(record, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the serialized form of <paramref name="record"/> to <paramref name="output"/>.</summary>
    public static void Write(KafkaRecord record, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(record);
        var headers = record.Headers;
        WriteStart(output, Encoding.UTF8.GetBytes(record.Topic), record.Partition, record.Offset, record.Timestamp, record.TimestampType,
            Nullable(record.Key), Nullable(record.Value), headers.Count);
        // Indexed: a foreach over the interface allocates an enumerator per record.
        for (var i = 0; i < headers.Count; i++)
        {
            WriteHeader(output, Encoding.UTF8.GetBytes(headers[i].Key), Nullable(headers[i].Value));
        }
    }

    /// <summary>
    /// Appends a record given as its parts (as librdkafka holds a consumed one, or as
    /// <see cref="Write"/> takes a <see cref="KafkaRecord"/> apart): everything up to the header
    /// count, then <see cref="WriteHeader"/> once per header.
    /// </summary>
    /// <param name="output">Receives the bytes.</param>
    /// <param name="topic">The topic name in UTF-8.</param>
    /// <param name="partition">The partition.</param>
    /// <param name="offset">The offset.</param>
    /// <param name="timestamp">Milliseconds since the Unix epoch.</param>
    /// <param name="timestampType">Who set the timestamp.</param>
    /// <param name="key">The key, or null.</param>
    /// <param name="value">The value, or null.</param>
    /// <param name="headerCount">How many headers follow.</param>
    public static void WriteStart(IBufferWriter<byte> output, ReadOnlySpan<byte> topic, int partition, long offset, long timestamp, KafkaTimestampType timestampType, NullableBytes key, NullableBytes value, int headerCount)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(1 + 5 + topic.Length + 5 + 10 + 10 + 1 + 5 + key.Bytes.Length + 5 + value.Bytes.Length + 5);
        var pos = 0;
        span[pos++] = FormatVersion;
        pos += WriteBytes(span[pos..], topic);
        pos += VarInt.WriteUnsigned(span[pos..], VarInt.ZigZag(partition));
        pos += VarInt.WriteUnsigned(span[pos..], VarInt.ZigZag(offset));
        pos += VarInt.WriteUnsigned(span[pos..], VarInt.ZigZag(timestamp));
        span[pos++] = (byte)timestampType;
        pos += WriteNullable(span[pos..], key);
        pos += WriteNullable(span[pos..], value);
        pos += VarInt.WriteUnsigned(span[pos..], (ulong)headerCount);
        output.Advance(pos);
    }

    /// <summary>Appends one header of a record begun with <see cref="WriteStart"/>.</summary>
    /// <param name="output">Receives the bytes.</param>
    /// <param name="name">The header's name in UTF-8.</param>
    /// <param name="value">The header's value, or null.</param>
    public static void WriteHeader(IBufferWriter<byte> output, ReadOnlySpan<byte> name, NullableBytes value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(5 + name.Length + 5 + value.Bytes.Length);
        var pos = WriteBytes(span, name);
        pos += WriteNullable(span[pos..], value);
        output.Advance(pos);
    }

    /// <summary>Reads a record written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a serialized record.</exception>
    public static KafkaRecord Deserialize(ReadOnlySpan<byte> data)
    {
        var record = SerializedRecord.Read(data);
        var headers = new KafkaHeader[record.HeaderCount];
        var reader = record.Headers;
        for (var i = 0; reader.Next(out var name, out var value); i++)
        {
            headers[i] = new KafkaHeader(Utf8Interner.GetString(name), ToArray(value));
        }

        return new KafkaRecord
        {
            Topic = Utf8Interner.GetString(record.Topic), Partition = record.Partition, Offset = record.Offset,
            Timestamp = record.Timestamp, TimestampType = record.TimestampType,
            Key = ToArray(record.Key), Value = ToArray(record.Value), Headers = headers,
        };
    }

    private static byte[]? ToArray(NullableBytes value) => value.IsNull ? null : value.Bytes.ToArray();

    private static NullableBytes Nullable(byte[]? value) => value is null ? NullableBytes.Null : new NullableBytes(value);

    private static int WriteNullable(Span<byte> span, NullableBytes value)
    {
        if (value.IsNull)
        {
            return VarInt.WriteUnsigned(span, 0);
        }

        var prefix = VarInt.WriteUnsigned(span, (ulong)value.Bytes.Length + 1);
        value.Bytes.CopyTo(span[prefix..]);
        return prefix + value.Bytes.Length;
    }

    private static int WriteBytes(Span<byte> span, ReadOnlySpan<byte> value)
    {
        var prefix = VarInt.WriteUnsigned(span, (ulong)value.Length);
        value.CopyTo(span[prefix..]);
        return prefix + value.Length;
    }
}
