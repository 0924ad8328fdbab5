using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// What a Kafka producer would send for the same records: each partition's records packed into
/// independent batches of at most 16 KiB (the Java producer's default <c>batch.size</c>, which
/// MirrorMaker 2 keeps), each batch's records section compressed on its own by zstd.
/// </summary>
/// <remarks>
/// Approximations, stated so the figure can be judged:
/// the records section follows Kafka's record batch v2 (per record: varint length, attributes,
/// zig-zag varint timestamp and offset deltas, varint-prefixed key and value with -1 for null,
/// header count and varint-prefixed header keys and values); a batch closes when the next record
/// would take its 61-byte header plus records past 16 KiB of uncompressed bytes (the Java producer
/// estimates with a compression ratio and may fill a little more); only the compressed records
/// sections are counted, not the 61-byte batch headers nor produce-request overhead, which would
/// make the baseline larger; batches never close early on <c>linger.ms</c>, as at full throughput.
/// </remarks>
public static class KafkaBatchBaseline
{
    /// <summary>The Java producer's default batch.size.</summary>
    public const int DefaultBatchBytes = 16 * 1024;

    /// <summary>Size of a record batch v2 header, counted against the batch size.</summary>
    public const int BatchHeaderBytes = 61;

    /// <summary>Packs <paramref name="records"/> into per-partition batches and compresses each at <paramref name="level"/>.</summary>
    public static KafkaBatchBaselineResult Measure(IEnumerable<KafkaRecord> records, int level, int batchBytes = DefaultBatchBytes)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var zstd = new ZstdCompressor(level);
        var open = new Dictionary<(string, int), OpenBatch>();
        var scratch = Array.Empty<byte>();
        long compressed = 0, raw = 0, batches = 0, count = 0;

        void Close(OpenBatch batch)
        {
            var bound = ZstdCompressor.CompressBound(batch.Records.Length);
            if (scratch.Length < bound)
            {
                scratch = new byte[bound];
            }

            compressed += zstd.Compress(batch.Records.Written, scratch);
            raw += batch.Records.Length;
            batches++;
            batch.Reset();
        }

        foreach (var record in records)
        {
            count++;
            if (!open.TryGetValue((record.Topic, record.Partition), out var batch))
            {
                batch = new OpenBatch();
                open.Add((record.Topic, record.Partition), batch);
            }

            var encoded = batch.Encode(record);
            if (batch.Count > 0 && BatchHeaderBytes + batch.Records.Length + encoded.Length > batchBytes)
            {
                Close(batch);
                encoded = batch.Encode(record);
            }

            batch.Append(encoded, record);
        }

        foreach (var batch in open.Values.Where(b => b.Count > 0))
        {
            Close(batch);
        }

        return new KafkaBatchBaselineResult(count, batches, raw, compressed);
    }

    /// <summary>One partition's batch being filled.</summary>
    private sealed class OpenBatch
    {
        private readonly ByteColumn _one = new(1024);
        private long _baseOffset;
        private long _baseTimestamp;

        public ByteColumn Records { get; } = new(DefaultBatchBytes * 2);

        public int Count { get; private set; }

        public void Reset()
        {
            Records.Reset();
            Count = 0;
        }

        /// <summary>The record as Kafka's v2 format writes it inside this batch.</summary>
        public ReadOnlySpan<byte> Encode(KafkaRecord record)
        {
            var baseOffset = Count == 0 ? record.Offset : _baseOffset;
            var baseTimestamp = Count == 0 ? record.Timestamp : _baseTimestamp;
            var body = new ByteColumn(256);
            body.WriteByte(0); // attributes
            body.WriteVarInt(VarInt.ZigZag(record.Timestamp - baseTimestamp));
            body.WriteVarInt(VarInt.ZigZag(record.Offset - baseOffset));
            WriteBytes(body, record.Key);
            WriteBytes(body, record.Value);
            body.WriteVarInt(VarInt.ZigZag(record.Headers.Count));
            foreach (var header in record.Headers)
            {
                WriteBytes(body, System.Text.Encoding.UTF8.GetBytes(header.Key));
                WriteBytes(body, header.Value);
            }

            _one.Reset();
            _one.WriteVarInt(VarInt.ZigZag(body.Length));
            _one.WriteBytes(body.Written);
            return _one.Written;
        }

        public void Append(ReadOnlySpan<byte> encoded, KafkaRecord record)
        {
            if (Count == 0)
            {
                _baseOffset = record.Offset;
                _baseTimestamp = record.Timestamp;
            }

            Records.WriteBytes(encoded);
            Count++;
        }

        private static void WriteBytes(ByteColumn column, byte[]? value)
        {
            if (value is null)
            {
                column.WriteVarInt(VarInt.ZigZag(-1));
                return;
            }

            column.WriteVarInt(VarInt.ZigZag(value.Length));
            column.WriteBytes(value);
        }
    }
}
