namespace KafkaSync.Engine.Queue;

/// <summary>
/// What opening a queue does to its files: find the segments, scan only the tail, cut a torn last
/// write, and refuse to go on when a committed record is damaged.
/// </summary>
internal static class Recovery
{
    /// <summary>Prepares <paramref name="segments"/> for the owner; returns the torn bytes cut from the tail.</summary>
    public static long RecoverSegments(string directory, List<Segment> segments, DiskQueueOptions options)
    {
        // An empty segment before the tail is left over from a crash during a roll or a restart
        // at a higher seq; it holds nothing.
        for (var i = segments.Count - 2; i >= 0; i--)
        {
            if (segments[i].Length == 0)
            {
                File.Delete(segments[i].Path);
                File.Delete(segments[i].IndexPath);
                segments.RemoveAt(i);
            }
        }

        if (segments.Count == 0)
        {
            var first = new Segment(directory, 1);
            using (File.Open(first.Path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
            }

            NativeSync.SyncDirectory(directory);
            segments.Add(first);
        }

        for (var i = 0; i < segments.Count - 1; i++)
        {
            segments[i].LastSeq = segments[i + 1].FirstSeq - 1;
        }

        var tail = segments[^1];
        var torn = ScanTail(tail, out var problemAt, out var expected, out var problem);
        if (problemAt >= 0)
        {
            if (torn == 0)
            {
                throw new QueueCorruptException(tail.Path, problemAt, expected, problem);
            }

            using var file = File.OpenHandle(tail.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.SetLength(file, problemAt);
            if (options.Fsync != FsyncPolicy.Never)
            {
                NativeSync.DataSync(file, tail.Path);
            }
        }
        else if (options.Fsync != FsyncPolicy.Never)
        {
            // Records a crashed process wrote but never synced are in the page cache; sync them
            // now so that everything readers will see is durable.
            using var file = File.OpenHandle(tail.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            NativeSync.DataSync(file, tail.Path);
        }

        return torn;
    }

    /// <summary>
    /// A cursor past the last whole record means records it had finished with are gone (a tail cut
    /// after they were acknowledged). Reusing their seqs would hand new records numbers the next
    /// stage already holds, so the numbering moves on past the highest cursor instead: the missing
    /// seqs are recorded as lost and an empty segment starts after them. Every cursor is then inside
    /// the queue again.
    /// </summary>
    public static void BringCursorsInside(string directory, List<Segment> segments, IReadOnlyDictionary<string, long> cursors, List<string> notes)
    {
        var last = segments[^1].LastSeq;
        var ahead = cursors.Where(c => c.Value > last).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        if (ahead.Count == 0)
        {
            return;
        }

        var highest = ahead.Max(c => c.Value);
        QueueFolder.AppendGap(directory, last + 1, highest);
        var fresh = new Segment(directory, highest + 1) { Index = new SparseIndex() };
        using (File.Open(fresh.Path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
        }

        NativeSync.SyncDirectory(directory);
        segments.Add(fresh);
        var names = string.Join(", ", ahead.Select(c => $"'{c.Key}' at {c.Value}"));
        notes.Add($"cursor {names} was past the queue's last whole record (seq {last}): seqs {new QueueSeqRange(last + 1, highest)} are gone from this queue and recorded as lost; numbering continues at {highest + 1}");
    }

    /// <summary>
    /// Scans the tail segment, setting its length, last seq and index. When a record fails,
    /// <paramref name="problemAt"/> is its position; the return value is the number of bytes to
    /// cut when the failure is a torn write, or 0 when a later record proves it was committed.
    /// </summary>
    public static long ScanTail(Segment tail, out long problemAt, out long expected, out string problem)
    {
        var index = new SparseIndex();
        expected = tail.FirstSeq;
        problemAt = -1;
        problem = "";
        using var cursor = new SegmentCursor(tail.Path, 0, long.MaxValue, 4 << 20, reuseBuffer: true);
        var length = cursor.FileLength;
        cursor.Limit = length;
        while (true)
        {
            var position = cursor.Position;
            var status = cursor.Next(out var header, out _);
            if (status == ReadStatus.Record && header.Seq != expected)
            {
                status = ReadStatus.Bad;
                problem = $"seq {header.Seq} where {expected} was expected";
            }
            else
            {
                problem = cursor.Problem;
            }

            if (status == ReadStatus.Record)
            {
                index.Note(header.Seq, position);
                expected++;
                continue;
            }

            tail.Index = index;
            tail.Length = tail.DurableLength = position;
            tail.LastSeq = expected - 1;
            if (status == ReadStatus.End)
            {
                return 0;
            }

            problemAt = position;
            return ProvenCommitted(cursor, position, length, expected) ? 0 : length - position;
        }
    }

    /// <summary>
    /// True when a whole record after <paramref name="badPosition"/> says that seq
    /// <paramref name="badSeq"/> was already durable when it was appended: then the bad record is
    /// damage, not a torn write.
    /// </summary>
    public static bool ProvenCommitted(SegmentCursor cursor, long badPosition, long length, long badSeq)
    {
        var rest = new byte[length - badPosition];
        cursor.ReadAt(badPosition, rest);
        var maxSeq = badSeq + (rest.Length / RecordFormat.HeaderSize) + 1;
        for (var q = 1; q + RecordFormat.HeaderSize <= rest.Length; q++)
        {
            RecordFormat.TryReadHeader(rest.AsSpan(q), out var header);
            if (header.Seq <= badSeq || header.Seq > maxSeq || header.Length < 0 || header.FrameSize > rest.Length - q)
            {
                continue;
            }

            if (RecordFormat.Checksum(rest.AsSpan(q, header.FrameSize)) == header.Crc && header.ProvesDurable >= badSeq)
            {
                return true;
            }
        }

        return false;
    }
}
