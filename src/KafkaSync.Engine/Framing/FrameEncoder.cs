using System.Buffers;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Framing;

/// <summary>
/// Turns batches of contiguous queue records into frames. One per connection: in streaming mode
/// it holds the connection's zstd stream, so each frame compresses against everything sent before
/// and the peer's <see cref="FrameDecoder"/> must see every frame, in order. Reuses its buffers;
/// not thread-safe.
/// </summary>
public sealed class FrameEncoder : IDisposable
{
    private readonly FrameOptions _options;
    private readonly ZstdCompressor? _zstd;
    private readonly ZstdDictionary? _ownedDictionary;
    private readonly ColumnarWriter _columnar = new();
    private readonly ByteColumn _raw = new(64 << 10);
    private readonly ArrayBufferWriter<byte> _compressed = new(64 << 10);
    private bool _streamStarted;

    /// <summary>Creates an encoder.</summary>
    /// <param name="options">Codec, level, layout and limits; validated here.</param>
    /// <param name="dictionary">The dictionary to compress with; when null and
    /// <see cref="FrameOptions.DictionaryPath"/> is set, that file is loaded.</param>
    /// <exception cref="Configuration.OptionsException">An option is out of range.</exception>
    public FrameEncoder(FrameOptions options, ZstdDictionary? dictionary = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        if (options.Codec == FrameCodec.Zstd)
        {
            if (dictionary is null && options.DictionaryPath is not null)
            {
                dictionary = _ownedDictionary = ZstdDictionary.Load(options.DictionaryPath);
            }

            _zstd = new ZstdCompressor(options.Level, dictionary, options.WindowLog, options.MinHashLog);
        }
    }

    /// <summary>The options this encoder was created with.</summary>
    public FrameOptions Options => _options;

    /// <summary>
    /// The zstd level for the next frames (an adaptive controller may change it between frames).
    /// A change restarts the stream's history once; the peer follows without being told.
    /// </summary>
    public int Level
    {
        get => _zstd?.Level ?? _options.Level;
        set
        {
            if (_zstd is not null)
            {
                _zstd.Level = value;
            }
        }
    }

    /// <summary>Writes the records as ONE whole frame to <paramref name="output"/>.</summary>
    /// <param name="records">1..<see cref="FrameOptions.MaxRecordsPerFrame"/> records with contiguous seqs,
    /// whose payloads total at most <see cref="FrameOptions.MaxFrameRawBytes"/>.</param>
    /// <param name="output">Where the frame goes.</param>
    /// <returns>The frame's size in bytes, header included.</returns>
    /// <exception cref="ArgumentException">The batch is empty, too large, or its seqs have a gap (checked before
    /// anything is compressed, so the stream stays usable).</exception>
    /// <remarks>Any other exception leaves the zstd stream out of step with the peer: dispose the encoder and reconnect.</remarks>
    public int Encode(IReadOnlyList<QueueRecord> records, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        var total = CheckBatch(records);

        _raw.Reset();
        var flags = FrameFlags.None;
        if (_options.Layout == FrameLayout.Columnar)
        {
            _columnar.Write(records, _raw, _options.FieldColumns);
            flags |= _options.FieldColumns ? FrameFlags.Columnar | FrameFlags.FieldColumns : FrameFlags.Columnar;
        }

        // Receivers bound the layout by the payloads plus a little per record; pathological
        // records (e.g. thousands of tiny headers) could break that, and then go as rows.
        if (flags == FrameFlags.None || _raw.Length > total + (16L * records.Count) + 64)
        {
            _raw.Reset();
            RowLayout.Write(records, _raw);
            flags = FrameFlags.None;
        }

        ReadOnlySpan<byte> payload;
        uint dictionaryId = 0;
        if (_zstd is null)
        {
            payload = _raw.Written;
        }
        else
        {
            _compressed.ResetWrittenCount();
            if (_options.Streaming)
            {
                if (_streamStarted)
                {
                    flags |= FrameFlags.Streamed;
                }

                _zstd.StreamCompress(_raw.Written, _compressed, endFrame: false);
                _streamStarted = true;
            }
            else
            {
                _zstd.StreamCompress(_raw.Written, _compressed, endFrame: true);
            }

            payload = _compressed.WrittenSpan;
            dictionaryId = _zstd.Dictionary?.Id ?? 0;
        }

        var size = FrameHeader.Size + payload.Length;
        var span = output.GetSpan(size);
        var header = new FrameHeader(_options.Codec, flags, dictionaryId, records[0].Seq, records.Count, _raw.Length, payload.Length, 0);
        header.Write(span);
        payload.CopyTo(span[FrameHeader.Size..]);
        var crc = Crc32C.Compute(span[..FrameHeader.CrcOffset], payload);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[FrameHeader.CrcOffset..], crc);
        output.Advance(size);
        return size;
    }

    /// <summary>Frees the zstd context (and the dictionary, if this encoder loaded it).</summary>
    public void Dispose()
    {
        _zstd?.Dispose();
        _ownedDictionary?.Dispose();
    }

    private long CheckBatch(IReadOnlyList<QueueRecord> records)
    {
        if (records.Count == 0 || records.Count > _options.MaxRecordsPerFrame)
        {
            throw new ArgumentException($"A frame holds 1 to {_options.MaxRecordsPerFrame} records; got {records.Count}.", nameof(records));
        }

        var first = records[0].Seq;
        if (first < 0)
        {
            throw new ArgumentException($"Seqs are not negative; got {first}.", nameof(records));
        }

        long total = 0;
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Seq != first + i)
            {
                throw new ArgumentException($"A frame's records have contiguous seqs; record {i} has seq {records[i].Seq}, expected {first + i}.", nameof(records));
            }

            total += records[i].Payload.Length;
        }

        if (total > _options.MaxFrameRawBytes)
        {
            throw new ArgumentException($"The records hold {total} payload bytes; a frame holds at most {_options.MaxFrameRawBytes} (frames.maxFrameRawBytes).", nameof(records));
        }

        return total;
    }
}
