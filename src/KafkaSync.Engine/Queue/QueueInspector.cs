namespace KafkaSync.Engine.Queue;

/// <summary>The read-only side of inspection: what <see cref="DiskQueue.Inspect"/> and <see cref="DiskQueue.Peek"/> do.</summary>
internal static class QueueInspector
{
    public static QueueInfo Inspect(string directory)
    {
        var segments = Segment.List(directory);
        var cursors = CursorStore.ReadAll(directory, out var unreadable);
        var cursorProblems = unreadable.Select(u => $"cursor '{u.Name}' is unreadable ({u.Problem}); the owner rebuilds it at the oldest retained seq when it opens the queue, or run `kafkasync queue repair`").ToList();
        var gaps = QueueFolder.ReadGaps(directory);
        var size = SizeOnDisk(directory);
        if (segments.Count == 0)
        {
            return new QueueInfo
            {
                Path = directory, FirstSeq = 1, LastSeq = 0, Cursors = [.. cursors.Select(c => new QueueCursorInfo(c.Key, c.Value, 0))],
                PendingRecords = 0, PendingBytes = 0, Segments = [], SizeOnDisk = size, Health = QueueHealth.Healthy, CursorProblems = cursorProblems,
            };
        }

        for (var i = 0; i < segments.Count - 1; i++)
        {
            segments[i].LastSeq = segments[i + 1].FirstSeq - 1;
        }

        var missing = FindMissing(segments, gaps);
        var tail = segments[^1];
        var torn = Recovery.ScanTail(tail, out var problemAt, out var expected, out var problem);
        var (health, detail) = problemAt < 0 ? (QueueHealth.Healthy, "")
            : torn > 0 ? (QueueHealth.TornTail, $"{torn} bytes after the last whole record (seq {expected - 1}) in '{tail.Name}' at byte {problemAt}: a write in progress, or a torn write the owner cuts when it opens the queue")
            : (QueueHealth.Corrupt, new QueueCorruptException(tail.Path, problemAt, expected, problem).Message);
        if (missing.Count > 0)
        {
            // A hole no repair accepted is damage: readers stop at it.
            var holes = string.Join("; ", missing.Select(m => $"seqs {m.Range} (no segment between '{m.Before}' and '{m.After}')"));
            detail = (detail.Length > 0 ? detail + "; " : "") + $"missing {holes}: a segment file is gone; run `kafkasync queue repair` to record them as lost so the queue can be read past them";
            health = QueueHealth.Corrupt;
        }

        foreach (var (name, seq) in cursors.Where(c => c.Value > tail.LastSeq))
        {
            cursorProblems.Add($"cursor '{name}' at {seq} is past the last whole record (seq {tail.LastSeq}); the owner (or `kafkasync queue repair`) records seqs {new QueueSeqRange(tail.LastSeq + 1, seq)} as lost and continues the numbering after them");
        }

        var first = segments[0].FirstSeq;
        var last = tail.LastSeq;
        var slowest = cursors.Count == 0 ? first - 1 : Math.Max(first - 1, cursors.Values.Min());
        var pending = Math.Max(0, last - slowest);
        long pendingBytes = 0;
        DateTimeOffset? oldest = null;
        if (pending > 0)
        {
            var index = Segment.Find(segments, slowest + 1);
            var segment = segments[Math.Max(index, 0)];
            if (TryLocate(segment, slowest + 1, out var position, out var header))
            {
                oldest = DateTimeOffset.FromUnixTimeMilliseconds(header.TimeMs);
                pendingBytes = segment.Length - position + segments.Skip(Math.Max(index, 0) + 1).Sum(s => s.Length);
            }
        }

        return new QueueInfo
        {
            Path = directory,
            FirstSeq = first,
            LastSeq = last,
            Cursors = [.. cursors.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new QueueCursorInfo(c.Key, c.Value, Math.Max(0, last - c.Value)))],
            PendingRecords = pending,
            PendingBytes = pendingBytes,
            OldestPendingTime = oldest,
            OldestPendingAge = oldest is null ? null : Max(TimeSpan.Zero, DateTimeOffset.UtcNow - oldest.Value),
            Segments = [.. segments.Select(s => new QueueSegmentInfo(s.Name, s.FirstSeq, s.LastSeq, s.Length))],
            SizeOnDisk = size,
            Health = health,
            HealthDetail = detail,
            LostSeqs = QueueFolder.Merge(gaps),
            MissingSeqs = [.. missing.Select(m => m.Range)],
            CursorProblems = cursorProblems,
        };
    }

    /// <summary>
    /// Seq ranges between segments that no segment holds and no accepted gap covers. Each sealed
    /// segment's true last seq is read from its end (from the last indexed record, so at most one
    /// index interval), which makes a whole missing segment cheap to see.
    /// </summary>
    private static List<(QueueSeqRange Range, string Before, string After)> FindMissing(List<Segment> segments, List<(long First, long Last)> gaps)
    {
        var missing = new List<(QueueSeqRange, string, string)>();
        for (var i = 0; i < segments.Count - 1; i++)
        {
            var segment = segments[i];
            var last = LastWholeSeq(segment);
            var following = segments[i + 1].FirstSeq;
            if (last + 1 < following && !QueueFolder.IsAcceptedGap(gaps, last + 1, following - 1))
            {
                missing.Add((new QueueSeqRange(last + 1, following - 1), segment.Name, segments[i + 1].Name));
            }

            // Lost seqs at the end of a segment are not its records: report what it holds.
            segment.LastSeq = Math.Min(segment.LastSeq, last);
        }

        return missing;
    }

    /// <summary>The seq of the last whole record with contiguous seqs in a sealed segment (FirstSeq - 1 when none).</summary>
    private static long LastWholeSeq(Segment segment)
    {
        var (seq, position) = Indexed(segment);
        using var cursor = new SegmentCursor(segment.Path, position, segment.Length, 256 * 1024, reuseBuffer: true);
        var last = seq == 0 ? segment.FirstSeq - 1 : seq - 1;
        while (cursor.Next(out var header, out _) == ReadStatus.Record && header.Seq == last + 1)
        {
            last = header.Seq;
        }

        return last;
    }

    private static (long Seq, long Position) Indexed(Segment segment)
    {
        var index = SparseIndex.TryLoad(segment.IndexPath, segment.Length);
        return index?.Floor(long.MaxValue) ?? (0, 0);
    }

    public static List<QueueRecord> Peek(string directory, long fromSeq, int count)
    {
        var records = new List<QueueRecord>();
        var segments = Segment.List(directory);
        if (segments.Count == 0 || count == 0)
        {
            return records;
        }

        var gaps = QueueFolder.ReadGaps(directory);
        var next = Math.Max(fromSeq, segments[0].FirstSeq);
        var index = Segment.Find(segments, next);
        var position = Indexed(segments[index], next);
        while (records.Count < count && index < segments.Count)
        {
            var segment = segments[index];
            var isTail = index == segments.Count - 1;
            using var cursor = new SegmentCursor(segment.Path, position, segment.Length, reuseBuffer: true);
            while (records.Count < count)
            {
                var at = cursor.Position;
                var status = cursor.Next(out var header, out var payload);
                if (status == ReadStatus.Record && header.Seq < next)
                {
                    continue;
                }

                if (status == ReadStatus.Record && header.Seq == next)
                {
                    records.Add(new QueueRecord(header.Seq, payload.ToArray()));
                    next++;
                    continue;
                }

                if (status == ReadStatus.End)
                {
                    break;
                }

                var why = status == ReadStatus.Record ? $"seq {header.Seq} where {next} was expected" : cursor.Problem;
                if (isTail && !Recovery.ProvenCommitted(cursor, at, cursor.FileLength, next))
                {
                    return records; // a write in progress or a torn tail: whole records end here
                }

                why = status == ReadStatus.Record ? $"seq {header.Seq} where {next} was expected" : cursor.Problem;
                throw new QueueCorruptException(segment.Path, at, next, why);
            }

            if (records.Count == count || isTail)
            {
                break;
            }

            var following = segments[index + 1].FirstSeq;
            if (following != next && (following < next || !QueueFolder.IsAcceptedGap(gaps, next, following - 1)))
            {
                throw new QueueCorruptException(segment.Path, segment.Length, next, $"the segment ends before seq {next} but the next segment starts at seq {following}");
            }

            next = Math.Max(next, following);
            index++;
            position = 0;
        }

        return records;
    }

    /// <summary>Finds the record <paramref name="seq"/> in <paramref name="segment"/>.</summary>
    private static bool TryLocate(Segment segment, long seq, out long position, out RecordFormat.Header header)
    {
        using var cursor = new SegmentCursor(segment.Path, Indexed(segment, seq), segment.Length, 256 * 1024, reuseBuffer: true);
        while (true)
        {
            position = cursor.Position;
            if (cursor.Next(out header, out _) != ReadStatus.Record)
            {
                return false;
            }

            if (header.Seq >= seq)
            {
                return true;
            }
        }
    }

    private static long Indexed(Segment segment, long seq)
    {
        var index = segment.Index ?? SparseIndex.TryLoad(segment.IndexPath, segment.Length);
        return index?.Floor(seq).Position ?? 0;
    }

    private static long SizeOnDisk(string directory)
    {
        long total = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            try
            {
                total += file.Length;
            }
            catch (FileNotFoundException)
            {
            }
        }

        return total;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
