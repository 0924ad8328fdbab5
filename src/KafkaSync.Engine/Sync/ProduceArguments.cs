using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Records;
using static KafkaSync.Engine.Kafka.RdKafkaProduce;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Lays out a queued record, plus the provenance headers when asked, as librdkafka's produce
/// arguments, pointing into the queue's own bytes: key, value and header values are copied only
/// by librdkafka. Header names are copied here, since librdkafka wants them NUL-terminated. The
/// scratch buffers are reused for every record: use it from one thread only.
/// </summary>
internal sealed unsafe class ProduceArguments(string? provenanceCluster, bool provenance)
{
    /// <summary>The provenance header names, NUL-terminated, at fixed addresses.</summary>
    private static readonly byte[] ProvenanceNames = Pinned(
        ProvenanceHeaderNames.SourceCluster + "\0" + ProvenanceHeaderNames.SourceTopic + "\0" +
        ProvenanceHeaderNames.SourcePartition + "\0" + ProvenanceHeaderNames.SourceOffset + "\0");

    private static readonly int TopicName = ProvenanceHeaderNames.SourceCluster.Length + 1;
    private static readonly int PartitionName = TopicName + ProvenanceHeaderNames.SourceTopic.Length + 1;
    private static readonly int OffsetName = PartitionName + ProvenanceHeaderNames.SourcePartition.Length + 1;

    private readonly byte[]? _cluster = provenanceCluster is null ? null : Pinned(provenanceCluster);
    private readonly byte[] _numbers = new byte[2 * 20];
    private VU[] _fields = new VU[16];
    private byte[] _names = new byte[256];

    /// <summary>
    /// Produces <paramref name="record"/> (read from <paramref name="payload"/>) to
    /// <paramref name="topic"/>[<paramref name="partition"/>] with <paramref name="opaque"/> as its
    /// delivery report's opaque; false when the producer's buffer is full.
    /// </summary>
    /// <exception cref="Confluent.Kafka.KafkaException">librdkafka refused the record.</exception>
    public bool TryProduce(RawProducer producer, IntPtr topic, int partition, ReadOnlySpan<byte> payload, in SerializedRecord record, long opaque)
    {
        var headers = record.HeaderCount + (provenance ? (_cluster is null ? 3 : 4) : 0);
        var count = 7 + headers;
        if (_fields.Length < count)
        {
            _fields = new VU[count];
        }

        // Room for every name of the record (all inside the payload) and a NUL each.
        if (_names.Length < payload.Length + record.HeaderCount)
        {
            _names = new byte[payload.Length + record.HeaderCount];
        }

        // Pinning the payload pins every span of the record, which all lie inside it.
        fixed (byte* pinned = payload)
        fixed (VU* fields = _fields)
        fixed (byte* names = _names)
        fixed (byte* numbers = _numbers)
        {
            var f = fields;
            f++->Set(VType.Rkt, topic);
            f++->Set(VType.Partition, partition);
            f++->Set(VType.MsgFlags, CopyPayload);
            f++->Set(VType.Opaque, (IntPtr)opaque);
            // librdkafka stamps 0 with the produce time, as Kafka does for a record without one.
            // It can only send CreateTime: a LogAppendTime source timestamp is kept as its value,
            // and the target topic's message.timestamp.type decides the type.
            f++->Set(VType.Timestamp, record.TimestampType == KafkaTimestampType.NotAvailable ? 0 : record.Timestamp);
            f++->SetBytes(VType.Key, record.Key);
            f++->SetBytes(VType.Value, record.Value);
            var name = names;
            var reader = record.Headers;
            while (reader.Next(out var headerName, out var value))
            {
                headerName.CopyTo(new Span<byte>(name, headerName.Length));
                name[headerName.Length] = 0;
                f++->SetHeader(name, value);
                name += headerName.Length + 1;
            }

            if (provenance)
            {
                fixed (byte* provenanceNames = ProvenanceNames)
                {
                    if (_cluster is not null)
                    {
                        f++->SetHeader(provenanceNames, new NullableBytes(_cluster));
                    }

                    f++->SetHeader(provenanceNames + TopicName, new NullableBytes(record.Topic));
                    Utf8Formatter.TryFormat(record.Partition, new Span<byte>(numbers, 20), out var partitionLength);
                    f++->SetHeader(provenanceNames + PartitionName, new NullableBytes(new ReadOnlySpan<byte>(numbers, partitionLength)));
                    Utf8Formatter.TryFormat(record.Offset, new Span<byte>(numbers + 20, 20), out var offsetLength);
                    f++->SetHeader(provenanceNames + OffsetName, new NullableBytes(new ReadOnlySpan<byte>(numbers + 20, offsetLength)));
                }
            }

            return producer.TryProduce(fields, count);
        }
    }

    /// <summary>A NUL-free string's UTF-8 bytes in an array the collector never moves.</summary>
    private static byte[] Pinned(string text)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(text), pinned: true);
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}

/// <summary>Fills librdkafka's produce arguments from spans that the caller keeps pinned.</summary>
internal static unsafe class ProduceArgumentFields
{
    public static void Set(ref this VU field, VType type, IntPtr pointer)
    {
        field.Type = type;
        field.Pointer = pointer;
    }

    public static void Set(ref this VU field, VType type, int value)
    {
        field.Type = type;
        field.Int32 = value;
    }

    public static void Set(ref this VU field, VType type, long value)
    {
        field.Type = type;
        field.Int64 = value;
    }

    /// <summary>A key or value: null stays null, empty stays empty (a non-null address with size 0).</summary>
    public static void SetBytes(ref this VU field, VType type, NullableBytes bytes)
    {
        field.Type = type;
        field.Pointer = Address(bytes);
        field.Size = (nuint)bytes.Bytes.Length;
    }

    public static void SetHeader(ref this VU field, byte* name, NullableBytes value)
    {
        field.Type = VType.Header;
        field.Pointer = (IntPtr)name;
        field.HeaderValue = Address(value);
        field.HeaderSize = value.Bytes.Length;
    }

    private static IntPtr Address(NullableBytes bytes) =>
        bytes.IsNull ? IntPtr.Zero : (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes.Bytes));
}
