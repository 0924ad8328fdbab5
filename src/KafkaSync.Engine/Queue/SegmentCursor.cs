using Microsoft.Win32.SafeHandles;

namespace KafkaSync.Engine.Queue;

/// <summary>What <see cref="SegmentCursor.Next"/> found.</summary>
internal enum ReadStatus
{
    /// <summary>A whole record with a valid CRC.</summary>
    Record,

    /// <summary>The cursor reached its limit exactly at a record boundary.</summary>
    End,

    /// <summary>Fewer bytes than a whole record remain before the limit.</summary>
    Truncated,

    /// <summary>The bytes at the position are not a valid record.</summary>
    Bad,
}

/// <summary>
/// Reads one segment file sequentially through a large buffer, checking every record's length and
/// CRC. Each refill uses a fresh buffer unless told to reuse it, so payloads handed out stay valid.
/// </summary>
internal sealed class SegmentCursor : IDisposable
{
    /// <summary>Bytes read per refill by default: large sequential reads for a reader that streams.</summary>
    public const int DefaultBufferSize = 1 << 20;

    private readonly SafeFileHandle _file;
    private readonly int _bufferSize;
    private readonly bool _reuse;
    private byte[] _buffer = [];
    private long _bufferStart;
    private int _bufferLength;

    /// <summary>Opens <paramref name="path"/> for reading from <paramref name="position"/> up to <paramref name="limit"/>.</summary>
    /// <param name="path">The segment file.</param>
    /// <param name="position">Where the first record starts.</param>
    /// <param name="limit">Bytes past this are not read.</param>
    /// <param name="bufferSize">Bytes read per refill (a larger record is read whole).</param>
    /// <param name="reuseBuffer">Refill one buffer (payloads valid until the next read) instead of a fresh one per refill.</param>
    /// <param name="buffer">With <paramref name="reuseBuffer"/>: a buffer to read into, say the one the reader's cursor on the previous segment used.</param>
    public SegmentCursor(string path, long position, long limit, int bufferSize = DefaultBufferSize, bool reuseBuffer = false, byte[]? buffer = null)
    {
        Path = path;
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Position = position;
        Limit = limit;
        _bufferSize = bufferSize;
        _reuse = reuseBuffer;
        _buffer = reuseBuffer && buffer is not null ? buffer : [];
    }

    /// <summary>The read buffer, to hand to the next cursor of the same reader.</summary>
    public byte[] Buffer => _buffer;

    public string Path { get; }

    public long Position { get; private set; }

    /// <summary>Bytes past this are not read (the durable end of a live segment, or the file's length).</summary>
    public long Limit { get; set; }

    public string Problem { get; private set; } = "";

    public long FileLength => RandomAccess.GetLength(_file);

    public ReadStatus Next(out RecordFormat.Header header, out ReadOnlyMemory<byte> payload)
    {
        payload = default;
        header = default;
        var remaining = Limit - Position;
        if (remaining <= 0)
        {
            return ReadStatus.End;
        }

        if (remaining < RecordFormat.HeaderSize)
        {
            Problem = $"only {remaining} bytes remain, less than a record header";
            return ReadStatus.Truncated;
        }

        var span = Fill(RecordFormat.HeaderSize);
        RecordFormat.TryReadHeader(span, out header);
        if (header.Length < 0 || header.Length > DiskQueueOptions.MaxSegmentBytes)
        {
            Problem = $"record length {header.Length} is impossible";
            return ReadStatus.Bad;
        }

        if (header.FrameSize > remaining)
        {
            Problem = $"the record needs {header.FrameSize} bytes but only {remaining} remain";
            return ReadStatus.Truncated;
        }

        span = Fill(header.FrameSize);
        if (RecordFormat.Checksum(span[..header.FrameSize]) != header.Crc)
        {
            Problem = "CRC mismatch";
            return ReadStatus.Bad;
        }

        var offset = (int)(Position - _bufferStart);
        payload = new ReadOnlyMemory<byte>(_buffer, offset + RecordFormat.HeaderSize, header.Length);
        Position += header.FrameSize;
        return ReadStatus.Record;
    }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="position"/>; returns fewer bytes at the end of the file.</summary>
    public int ReadAt(long position, Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(_file, destination[total..], position + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Makes <paramref name="count"/> bytes from <see cref="Position"/> available in the buffer.</summary>
    private ReadOnlySpan<byte> Fill(int count)
    {
        var offset = Position - _bufferStart;
        if (offset >= 0 && offset + count <= _bufferLength)
        {
            return _buffer.AsSpan((int)offset, count);
        }

        var size = (int)Math.Min(Math.Max(_bufferSize, count), Math.Max(count, Limit - Position));
        if (!_reuse || _buffer.Length < size)
        {
            _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(size, _reuse ? _bufferSize : 0));
        }

        _bufferStart = Position;
        _bufferLength = ReadAt(Position, _buffer.AsSpan(0, size));
        if (_bufferLength < count)
        {
            throw new IOException($"Segment '{Path}' is shorter than expected: it ended at byte {Position + _bufferLength}.");
        }

        return _buffer.AsSpan(0, count);
    }
}
