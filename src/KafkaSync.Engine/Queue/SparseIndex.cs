using System.Buffers.Binary;

namespace KafkaSync.Engine.Queue;

/// <summary>
/// Every ~64 KiB of a segment, the seq and byte position of the record that starts there. Opening
/// a reader at any seq then reads at most one interval, whatever the queue's size. Sealed
/// segments keep theirs in a side file; a missing or damaged side file is rebuilt by a scan.
/// </summary>
internal sealed class SparseIndex
{
    public const string Extension = ".idx";
    public const long Interval = 64 * 1024;
    private const ulong Magic = 0x3130584449_51534B; // "KSQIDX01"-ish tag; only its equality matters

    private readonly List<(long Seq, long Position)> _entries = [];
    private long _nextPosition;

    public int Count => _entries.Count;

    /// <summary>Notes a record starting at <paramref name="position"/>; keeps it when an interval has passed.</summary>
    public void Note(long seq, long position)
    {
        if (position >= _nextPosition)
        {
            _entries.Add((seq, position));
            _nextPosition = position + Interval;
        }
    }

    /// <summary>The closest known record at or before <paramref name="seq"/>, or (0, 0) for the segment's start.</summary>
    public (long Seq, long Position) Floor(long seq)
    {
        int lo = 0, hi = _entries.Count - 1;
        (long, long) found = (0, 0);
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_entries[mid].Seq <= seq)
            {
                found = _entries[mid];
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    public void Save(string path)
    {
        var bytes = new byte[16 + (_entries.Count * 16) + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), _entries.Count);
        for (var i = 0; i < _entries.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16 + (i * 16)), _entries[i].Seq);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24 + (i * 16)), _entries[i].Position);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), RecordFormat.Crc(bytes.AsSpan(0, bytes.Length - 4)));
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Loads a side file; null when it is missing or fails its checksum (the caller rebuilds).</summary>
    public static SparseIndex? TryLoad(string path, long segmentLength)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return null;
        }

        if (bytes.Length < 20 || BinaryPrimitives.ReadUInt64LittleEndian(bytes) != Magic)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        if (count < 0 || bytes.Length != 16 + (count * 16) + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)) != RecordFormat.Crc(bytes.AsSpan(0, bytes.Length - 4)))
        {
            return null;
        }

        var index = new SparseIndex();
        for (var i = 0; i < count; i++)
        {
            var position = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(24 + (i * 16)));
            if (position >= segmentLength)
            {
                return null;
            }

            index.Note(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16 + (i * 16))), position);
        }

        return index;
    }

    /// <summary>Builds the index of a segment by reading it up to <paramref name="length"/>; stops at the first bad record.</summary>
    public static SparseIndex Rebuild(string path, long length)
    {
        var index = new SparseIndex();
        using var cursor = new SegmentCursor(path, 0, length, 4 << 20, reuseBuffer: true);
        while (true)
        {
            var position = cursor.Position;
            if (cursor.Next(out var header, out _) != ReadStatus.Record)
            {
                return index;
            }

            index.Note(header.Seq, position);
        }
    }
}
