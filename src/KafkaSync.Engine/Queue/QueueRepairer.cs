using System.Globalization;

namespace KafkaSync.Engine.Queue;

/// <summary>
/// The full check and the repair behind <see cref="DiskQueue.Repair"/>. A damaged segment is moved
/// into the quarantine folder as it is; its whole records are written back as new segments (split
/// where seqs are missing), and the missing seqs are listed in the gaps file for readers.
/// </summary>
internal static class QueueRepairer
{
    public static QueueRepairResult Repair(string directory, bool whatIf)
    {
        var segments = Segment.List(directory);
        var gaps = QueueFolder.ReadGaps(directory);
        var problems = new List<QueueProblem>();
        var quarantined = new List<string>();
        var lost = new List<QueueSeqRange>();
        long salvaged = 0;

        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var isTail = i == segments.Count - 1;
            var data = File.ReadAllBytes(segment.Path);
            var scan = Scan(segment, data, isTail);
            problems.AddRange(scan.Problems);

            var endSeq = scan.Runs.Count > 0 ? scan.Runs[^1].Last : segment.FirstSeq - 1;
            var missingBefore = new List<QueueSeqRange>(scan.Missing);
            if (!isTail)
            {
                var following = segments[i + 1].FirstSeq;
                if (endSeq + 1 < following && !QueueFolder.IsAcceptedGap(gaps, endSeq + 1, following - 1))
                {
                    if (!scan.OpenEnded)
                    {
                        problems.Add(new QueueProblem(segment.Path, data.Length, endSeq + 1, $"the segment ends before seq {endSeq + 1} but the next segment starts at seq {following}"));
                    }

                    missingBefore.Add(new QueueSeqRange(endSeq + 1, following - 1));
                }
            }

            lost.AddRange(missingBefore);
            if (scan.Problems.Count == 0)
            {
                continue;
            }

            salvaged += scan.Runs.Sum(r => r.Count);
            if (whatIf)
            {
                quarantined.Add(QuarantinePath(directory, segment));
                continue;
            }

            quarantined.Add(Quarantine(directory, segment, data, scan.Runs));
        }

        if (!whatIf && lost.Count > 0)
        {
            File.AppendAllLines(Path.Combine(directory, QueueFolder.GapsFile), lost.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.First} {r.Last}")));
            NativeSync.SyncDirectory(directory);
        }

        var cursorFixes = whatIf ? CheckCursors(directory) : FixCursors(directory);

        return new QueueRepairResult
        {
            Path = directory,
            WhatIf = whatIf,
            Problems = problems,
            Quarantined = quarantined,
            SalvagedRecords = salvaged,
            LostSeqs = lost,
            CursorFixes = cursorFixes,
        };
    }

    /// <summary>
    /// Does what the owner's open would do to the cursors, so the queue is consistent before any
    /// agent starts: cut a torn tail, rebuild unreadable cursor files, and move the numbering past
    /// a cursor that is beyond the last whole record (recording the seqs it skips as lost).
    /// </summary>
    private static List<string> FixCursors(string directory)
    {
        var segments = Segment.List(directory);
        var notes = new List<string>();
        if (segments.Count == 0)
        {
            return notes;
        }

        Recovery.RecoverSegments(directory, segments, new DiskQueueOptions { Path = directory });
        var cursors = CursorStore.Load(directory, segments[0].FirstSeq - 1, notes);
        Recovery.BringCursorsInside(directory, segments, cursors.Snapshot(), notes);
        return notes;
    }

    /// <summary>What <see cref="FixCursors"/> would do, changing nothing.</summary>
    private static List<string> CheckCursors(string directory)
    {
        var notes = new List<string>();
        var segments = Segment.List(directory);
        var cursors = CursorStore.ReadAll(directory, out var unreadable);
        notes.AddRange(unreadable.Select(u => $"cursor '{u.Name}' is unreadable ({u.Problem}); would rebuild it at the oldest retained seq"));
        if (segments.Count == 0)
        {
            return notes;
        }

        for (var i = 0; i < segments.Count - 1; i++)
        {
            segments[i].LastSeq = segments[i + 1].FirstSeq - 1;
        }

        Recovery.ScanTail(segments[^1], out _, out _, out _);
        var last = segments[^1].LastSeq;
        notes.AddRange(cursors.Where(c => c.Value > last).Select(c => $"cursor '{c.Key}' at {c.Value} is past the last whole record (seq {last}); would record seqs {new QueueSeqRange(last + 1, c.Value)} as lost and continue the numbering after them"));
        return notes;
    }

    private static string QuarantinePath(string directory, Segment segment) =>
        Path.Combine(directory, QueueFolder.QuarantineFolder, segment.Name + "." + DateTime.UtcNow.ToString("yyyyMMddTHHmmssfff", CultureInfo.InvariantCulture));

    /// <summary>Moves the damaged file aside, then writes each run of whole records back as a segment.</summary>
    private static string Quarantine(string directory, Segment segment, byte[] data, List<Run> runs)
    {
        var target = QuarantinePath(directory, segment);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(segment.Path, target);
        File.Delete(segment.IndexPath);
        foreach (var run in runs)
        {
            var path = Path.Combine(directory, Segment.NameFor(run.First));
            var temp = path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                foreach (var (start, length) in run.Frames)
                {
                    file.Write(data, start, length);
                }

                NativeSync.DataSync(file.SafeFileHandle, temp);
            }

            File.Move(temp, path);
        }

        if (runs.Count == 0 || runs[0].First != segment.FirstSeq)
        {
            // Keep the segment's name (its first seq) present, so that a queue whose tail this was
            // keeps its next seq.
            using (File.Open(segment.Path, FileMode.CreateNew))
            {
            }
        }

        NativeSync.SyncDirectory(directory);
        return target;
    }

    private static SegmentScan Scan(Segment segment, byte[] data, bool isTail)
    {
        var scan = new SegmentScan();
        var expected = segment.FirstSeq;
        var pos = 0;
        Run? run = null;
        while (pos < data.Length)
        {
            if (TryFrame(data, pos, out var header) && header.Seq == expected)
            {
                if (run is null)
                {
                    run = new Run(header.Seq);
                    scan.Runs.Add(run);
                }

                run.Frames.Add((pos, header.FrameSize));
                run.Last = header.Seq;
                expected++;
                pos += header.FrameSize;
                continue;
            }

            var problem = Describe(data, pos, expected);
            var next = Resync(data, pos + 1, expected);
            if (isTail && !ProvenAfter(data, pos, expected))
            {
                break; // a torn write the owner cuts on open, not damage
            }

            scan.Problems.Add(new QueueProblem(segment.Path, pos, expected, problem));
            if (next < 0)
            {
                scan.OpenEnded = true; // lost up to the segment's end; the caller knows where the next one starts
                break;
            }

            TryFrame(data, next, out var found);
            scan.Missing.Add(new QueueSeqRange(expected, found.Seq - 1));
            expected = found.Seq;
            pos = next;
            run = null;
        }

        return scan;
    }

    private static string Describe(byte[] data, int pos, long expected)
    {
        if (!RecordFormat.TryReadHeader(data.AsSpan(pos), out var header))
        {
            return $"only {data.Length - pos} bytes remain, less than a record header";
        }

        if (header.Length < 0 || header.FrameSize > data.Length - pos)
        {
            return $"record length {header.Length} runs past the end of the segment";
        }

        return RecordFormat.Checksum(data.AsSpan(pos, header.FrameSize)) != header.Crc ? "CRC mismatch" : $"seq {header.Seq} where {expected} was expected";
    }

    private static bool TryFrame(byte[] data, int pos, out RecordFormat.Header header) =>
        RecordFormat.TryReadHeader(data.AsSpan(pos), out header)
        && header.Length >= 0 && header.FrameSize <= data.Length - pos
        && RecordFormat.Checksum(data.AsSpan(pos, header.FrameSize)) == header.Crc;

    /// <summary>The position of the next whole record with a seq above <paramref name="expected"/> - 1, or -1.</summary>
    private static int Resync(byte[] data, int from, long expected)
    {
        var maxSeq = expected + (data.Length / RecordFormat.HeaderSize) + 1;
        for (var q = from; q + RecordFormat.HeaderSize <= data.Length; q++)
        {
            RecordFormat.TryReadHeader(data.AsSpan(q), out var header);
            if (header.Seq > expected && header.Seq <= maxSeq && TryFrame(data, q, out _))
            {
                return q;
            }
        }

        return -1;
    }

    /// <summary>True when some whole record after <paramref name="pos"/> proves seq <paramref name="seq"/> was committed.</summary>
    private static bool ProvenAfter(byte[] data, int pos, long seq)
    {
        for (var q = Resync(data, pos + 1, seq); q >= 0; q = Resync(data, q + 1, seq))
        {
            TryFrame(data, q, out var header);
            if (header.ProvesDurable >= seq)
            {
                return true;
            }
        }

        return false;
    }

    private sealed class SegmentScan
    {
        public List<QueueProblem> Problems { get; } = [];

        public List<Run> Runs { get; } = [];

        public List<QueueSeqRange> Missing { get; } = [];

        public bool OpenEnded { get; set; }
    }

    private sealed class Run(long first)
    {
        public long First { get; } = first;

        public long Last { get; set; } = first;

        public long Count => Last - First + 1;

        public List<(int Start, int Length)> Frames { get; } = [];
    }
}
