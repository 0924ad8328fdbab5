using System.Buffers;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Framing;

/// <summary>
/// Reads frames from a connection's byte stream. One per connection, fed every frame in order.
/// Checks the header and its declared sizes before buffering anything, the CRC before
/// decompressing, and the layout before returning a record; decompression can never produce
/// more than the declared size. After a <see cref="FrameException"/> the decoder is faulted
/// (its zstd stream is no longer trustworthy): close the connection. Not thread-safe.
/// </summary>
public sealed class FrameDecoder : IDisposable
{
    private readonly FrameOptions _options;
    private readonly Dictionary<uint, ZstdDictionary> _dictionaries = [];
    private readonly List<ZstdDictionary> _owned = [];
    private readonly ZstdDecompressor _zstd;
    private readonly ByteColumn _payload = new(64 << 10);
    private readonly ByteColumn _output = new(64 << 10);
    private readonly ReaderBuffers _buffers = new();
    private byte[] _raw = new byte[64 << 10];
    private int[] _starts = new int[1024];
    private int[] _ends = new int[1024];
    private QueueRecord[] _records = [];
    private bool _streamStarted;
    private FrameException? _fault;

    /// <summary>Creates a decoder.</summary>
    /// <param name="options">The limits to enforce (and the dictionary file to load, if set).</param>
    /// <param name="dictionaries">Further dictionaries frames may name, by their ids.</param>
    /// <exception cref="Configuration.OptionsException">An option is out of range.</exception>
    public FrameDecoder(FrameOptions options, IEnumerable<ZstdDictionary>? dictionaries = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _zstd = new ZstdDecompressor(Math.Max(ZstdDecompressor.DefaultWindowLogMax, options.WindowLog));
        if (options.DictionaryPath is not null)
        {
            var loaded = ZstdDictionary.Load(options.DictionaryPath);
            _owned.Add(loaded);
            _dictionaries[loaded.Id] = loaded;
        }

        foreach (var dictionary in dictionaries ?? [])
        {
            _dictionaries[dictionary.Id] = dictionary;
        }
    }

    /// <summary>
    /// The seq the next frame must start with, or null to accept any. Set it from the receiver's
    /// last durable seq + 1 when a connection starts; each decoded frame moves it on.
    /// </summary>
    public long? ExpectedFirstSeq { get; set; }

    /// <summary>
    /// When true, a decoded frame's records borrow the decoder's buffers and stay valid only until
    /// the next <see cref="TryDecode"/>: for a caller that copies them out at once, like the
    /// link receiver into its queue. Otherwise every frame gets arrays of its own, a frame-sized
    /// allocation each time (on the large-object heap, so each few frames cost a full collection).
    /// </summary>
    public bool ReuseBuffers { get; init; }

    /// <summary>Frames decoded so far.</summary>
    public long FramesDecoded { get; private set; }

    /// <summary>
    /// Decodes one frame from the start of <paramref name="input"/> and advances it past the frame.
    /// </summary>
    /// <returns>True with the frame; false when more bytes are needed (nothing consumed).</returns>
    /// <exception cref="FrameException">The bytes are not a valid frame; nothing from it may be used.</exception>
    /// <exception cref="InvalidOperationException">An earlier frame failed; this connection's stream cannot continue.</exception>
    public bool TryDecode(ref ReadOnlySequence<byte> input, out DecodedFrame frame)
    {
        if (_fault is not null)
        {
            throw new InvalidOperationException("The frame decoder failed on an earlier frame; close the connection and start a new one.", _fault);
        }

        try
        {
            return TryDecodeCore(ref input, out frame);
        }
        catch (FrameException ex)
        {
            _fault = ex;
            throw;
        }
    }

    /// <summary>Frees the zstd context and the dictionaries this decoder loaded.</summary>
    public void Dispose()
    {
        _zstd.Dispose();
        foreach (var dictionary in _owned)
        {
            dictionary.Dispose();
        }
    }

    private bool TryDecodeCore(ref ReadOnlySequence<byte> input, out DecodedFrame frame)
    {
        frame = null!;
        Span<byte> headerBytes = stackalloc byte[FrameHeader.Size];
        if (input.Length < FrameHeader.Size)
        {
            // Refuse garbage at once rather than waiting for a header's worth of it.
            var available = headerBytes[..(int)input.Length];
            input.CopyTo(available);
            FrameHeader.CheckMagicPrefix(available);
            return false;
        }

        input.Slice(0, FrameHeader.Size).CopyTo(headerBytes);
        var header = FrameHeader.Read(headerBytes, _options.MaxFrameRawBytes, _options.MaxRecordsPerFrame);
        var total = (long)FrameHeader.Size + header.WireSize;
        if (input.Length < total)
        {
            return false;
        }

        var payloadSequence = input.Slice(FrameHeader.Size, header.WireSize);
        ReadOnlySpan<byte> payload;
        if (payloadSequence.IsSingleSegment)
        {
            payload = payloadSequence.FirstSpan;
        }
        else
        {
            _payload.Reset();
            foreach (var segment in payloadSequence)
            {
                _payload.WriteBytes(segment.Span);
            }

            payload = _payload.Written;
        }

        var crc = Crc32C.Compute(headerBytes[..FrameHeader.CrcOffset], payload);
        if (crc != header.Crc)
        {
            throw new FrameException(FrameError.Crc, $"CRC32C is {crc:x8}, the header says {header.Crc:x8} (frame of seq {header.FirstSeq}, {header.WireSize} bytes)");
        }

        if (ExpectedFirstSeq is { } expected && header.FirstSeq != expected)
        {
            throw new FrameException(FrameError.SeqGap, $"the frame starts at seq {header.FirstSeq}, expected {expected}");
        }

        var records = Decode(header, payload, out var rawBytes);
        input = input.Slice(total);
        ExpectedFirstSeq = header.FirstSeq + header.Count;
        FramesDecoded++;
        frame = new DecodedFrame(header.FirstSeq, records, (int)total, rawBytes);
        return true;
    }

    private ArraySegment<QueueRecord> Decode(FrameHeader header, ReadOnlySpan<byte> payload, out int rawBytes)
    {
        ReadOnlySpan<byte> raw = payload;
        if (header.Codec == FrameCodec.Zstd)
        {
            Decompress(header, payload);
            raw = _raw.AsSpan(0, header.RawSize);
        }

        EnsureIndexCapacity(header.Count);
        var records = NewRecords(header.Count);
        if ((header.Flags & FrameFlags.Columnar) != 0)
        {
            _output.Reset();
            ColumnarReader.Read(raw, header.Count, _output, _starts, _ends, _options.MaxFrameRawBytes, _buffers, (header.Flags & FrameFlags.FieldColumns) != 0);
            var buffer = ReuseBuffers ? _output.WrittenMemory : _output.ToArray();
            for (var i = 0; i < header.Count; i++)
            {
                records[i] = new QueueRecord(header.FirstSeq + i, buffer.Slice(_starts[i], _ends[i] - _starts[i]));
            }

            rawBytes = buffer.Length;
            return new ArraySegment<QueueRecord>(records, 0, header.Count);
        }

        RowLayout.Read(raw, header.Count, _starts, _ends);
        ReadOnlyMemory<byte> rows;
        if (ReuseBuffers && header.Codec == FrameCodec.Zstd)
        {
            // Decompressed into the decoder's own buffer already.
            rows = _raw.AsMemory(0, header.RawSize);
        }
        else if (ReuseBuffers)
        {
            // The rows lie in the caller's input, which it reuses once this call returns.
            _output.Reset();
            _output.WriteBytes(raw);
            rows = _output.WrittenMemory;
        }
        else
        {
            rows = raw.ToArray();
        }

        rawBytes = 0;
        for (var i = 0; i < header.Count; i++)
        {
            records[i] = new QueueRecord(header.FirstSeq + i, rows.Slice(_starts[i], _ends[i] - _starts[i]));
            rawBytes += _ends[i] - _starts[i];
        }

        if (rawBytes > _options.MaxFrameRawBytes)
        {
            throw new FrameException(FrameError.SizeLimit, $"the records hold {rawBytes} bytes, more than the {_options.MaxFrameRawBytes} allowed");
        }

        return new ArraySegment<QueueRecord>(records, 0, header.Count);
    }

    private QueueRecord[] NewRecords(int count)
    {
        if (!ReuseBuffers)
        {
            return new QueueRecord[count];
        }

        if (_records.Length < count)
        {
            _records = new QueueRecord[Math.Max(count, _records.Length * 2)];
        }

        return _records;
    }

    private void Decompress(FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.DictionaryId == 0)
        {
            if (_zstd.Dictionary is not null)
            {
                _zstd.Dictionary = null;
            }
        }
        else if (_dictionaries.TryGetValue(header.DictionaryId, out var dictionary))
        {
            if (!ReferenceEquals(_zstd.Dictionary, dictionary))
            {
                if ((header.Flags & FrameFlags.Streamed) != 0)
                {
                    throw new FrameException(FrameError.UnknownDictionary, $"dictionary {header.DictionaryId} changes in the middle of a stream");
                }

                _zstd.Dictionary = dictionary;
            }
        }
        else
        {
            var known = _dictionaries.Count == 0 ? "none" : string.Join(", ", _dictionaries.Keys);
            throw new FrameException(FrameError.UnknownDictionary, $"the frame needs dictionary {header.DictionaryId}; this receiver has {known} (frames.dictionaryPath)");
        }

        var streamed = (header.Flags & FrameFlags.Streamed) != 0;
        if (streamed && !_streamStarted)
        {
            throw new FrameException(FrameError.Decompress, "the frame continues a zstd stream this connection never started");
        }

        if (!streamed)
        {
            _zstd.ResetStream();
        }

        if (_raw.Length < header.RawSize)
        {
            _raw = new byte[Math.Max(header.RawSize, Math.Min(_raw.Length * 2, FrameOptions.MaxFrameRawBytesLimit))];
        }

        int produced;
        try
        {
            produced = _zstd.StreamDecompress(payload, _raw.AsSpan(0, header.RawSize));
        }
        catch (ZstdException ex)
        {
            throw new FrameException(FrameError.Decompress, ex.Problem, ex);
        }

        if (produced != header.RawSize)
        {
            throw new FrameException(FrameError.Decompress, $"the payload decodes to {produced} bytes, the header declares {header.RawSize}");
        }

        _streamStarted = true;
    }

    private void EnsureIndexCapacity(int count)
    {
        if (_ends.Length < count)
        {
            _starts = new int[count];
            _ends = new int[count];
        }
    }
}
