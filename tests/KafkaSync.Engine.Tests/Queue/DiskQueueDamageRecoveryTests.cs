using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Queue;

/// <summary>
/// From damage found back to a queue that opens and reads: a lost segment, a cursor file with
/// garbage in it, a cursor left past a cut tail, and seqs the feeding side declared lost.
/// </summary>
public sealed class DiskQueueDamageRecoveryTests
{
    private const int RecordSize = 150;
    private const int FrameSize = RecordSize + 28;
    private const int PerSegment = 23;
    private const long SegmentBytes = 4096;

    [Fact]
    public void Info_reports_a_missing_middle_segment_and_repair_records_it_as_lost()
    {
        using var dir = new QueueTestDir();
        Fill(dir, 100, cursorAt: 0);
        var segments = dir.SegmentFiles();
        var gone = segments[2];
        var goneFirst = FirstSeqOf(gone);
        var goneLast = FirstSeqOf(segments[3]) - 1;
        File.Delete(gone);
        File.Delete(Path.ChangeExtension(gone, ".idx"));

        var info = DiskQueue.Inspect(dir.Path);
        Assert.Equal(QueueHealth.Corrupt, info.Health);
        Assert.Equal(new QueueSeqRange(goneFirst, goneLast), Assert.Single(info.MissingSeqs));
        Assert.Contains("missing", info.HealthDetail, StringComparison.Ordinal);
        Assert.Equal(100 - (goneLast - goneFirst + 1), info.Records);

        var repair = DiskQueue.Repair(dir.Path, whatIf: false);
        Assert.Equal(new QueueSeqRange(goneFirst, goneLast), Assert.Single(repair.LostSeqs));

        var after = DiskQueue.Inspect(dir.Path);
        Assert.Equal(QueueHealth.Healthy, after.Health);
        Assert.Empty(after.MissingSeqs);
        Assert.Equal(new QueueSeqRange(goneFirst, goneLast), Assert.Single(after.LostSeqs));

        using var queue = DiskQueue.Open(dir.Options(SegmentBytes));
        var seqs = QueueTestDir.ReadAll(queue, 1).Select(r => r.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i).Where(s => s < goneFirst || s > goneLast), seqs);
        Assert.Equal(new QueueSeqRange(goneFirst, goneLast), Assert.Single(queue.LostSeqs));
    }

    [Theory]
    [InlineData("garbage\n")]
    [InlineData("")]
    public void A_garbled_cursor_file_is_reported_by_info_and_repair_and_rebuilt_at_the_oldest_record(string content)
    {
        using var dir = new QueueTestDir();
        Fill(dir, 40, cursorAt: 30);
        File.WriteAllText(Path.Combine(dir.Path, "cursors", "link.cursor"), content);

        var info = DiskQueue.Inspect(dir.Path);
        Assert.Contains(info.CursorProblems, p => p.Contains("'link'", StringComparison.Ordinal));

        var check = DiskQueue.Repair(dir.Path, whatIf: true);
        Assert.False(check.Healthy);
        Assert.Contains(check.CursorFixes, p => p.Contains("'link'", StringComparison.Ordinal));

        var repair = DiskQueue.Repair(dir.Path, whatIf: false);
        Assert.Contains(repair.CursorFixes, p => p.Contains("rebuilt", StringComparison.Ordinal));
        Assert.Empty(DiskQueue.Inspect(dir.Path).CursorProblems);

        using var queue = DiskQueue.Open(dir.Options(SegmentBytes));
        Assert.Equal(queue.FirstSeq - 1, queue.GetCursor("link"));
        Assert.Empty(queue.OpenNotes);
    }

    [Fact]
    public void The_owner_rebuilds_a_garbled_cursor_itself_and_says_so()
    {
        using var dir = new QueueTestDir();
        Fill(dir, 40, cursorAt: 30);
        File.WriteAllText(Path.Combine(dir.Path, "cursors", "link.cursor"), "\0\0\u0001garbage");

        using var queue = DiskQueue.Open(dir.Options(SegmentBytes));
        Assert.Equal(queue.FirstSeq - 1, queue.GetCursor("link"));
        Assert.Contains("'link'", Assert.Single(queue.OpenNotes), StringComparison.Ordinal);
        Assert.True(queue.FirstSeq > 1, "retention should have removed the segments below the old cursor");
        Assert.Equal(40 - queue.FirstSeq + 1, QueueTestDir.ReadAll(queue, queue.GetCursor("link") + 1).Count);
    }

    [Fact]
    public async Task A_cursor_past_a_cut_tail_is_brought_back_inside_and_the_numbering_never_reuses_its_seqs()
    {
        using var dir = new QueueTestDir();
        Fill(dir, 100, cursorAt: 100);
        CutTail(dir, recordsToLose: 3);

        var info = DiskQueue.Inspect(dir.Path);
        Assert.Contains(info.CursorProblems, p => p.Contains("past the last whole record", StringComparison.Ordinal));

        using (var queue = DiskQueue.Open(dir.Options(SegmentBytes)))
        {
            Assert.Contains("'link' at 100", Assert.Single(queue.OpenNotes), StringComparison.Ordinal);
            Assert.Equal(101, queue.NextSeq);
            Assert.Equal(new QueueSeqRange(98, 100), Assert.Single(queue.LostSeqs));

            // What used to fail: a reader from the cursor, as every agent stage opens one.
            using var reader = queue.OpenReader(queue.GetCursor("link") + 1);
            Assert.Equal(101, await queue.AppendAsync(new byte[] { 7 }, QueueTestDir.Timeout()));
            await queue.CommitAsync(QueueTestDir.Timeout());
            Assert.True(reader.TryRead(out var next));
            Assert.Equal(101, next.Seq);
        }

        using (var reopened = DiskQueue.Open(dir.Options(SegmentBytes)))
        {
            Assert.Empty(reopened.OpenNotes);
            Assert.Equal(102, reopened.NextSeq);
            Assert.Equal([.. Enumerable.Range((int)reopened.FirstSeq, 97 - (int)reopened.FirstSeq + 1).Select(i => (long)i), 101], QueueTestDir.ReadAll(reopened, reopened.FirstSeq).Select(r => r.Seq));
        }
    }

    [Fact]
    public void Repair_brings_a_cursor_past_a_cut_tail_back_inside()
    {
        using var dir = new QueueTestDir();
        Fill(dir, 100, cursorAt: 100);
        CutTail(dir, recordsToLose: 3);

        var repair = DiskQueue.Repair(dir.Path, whatIf: false);
        Assert.False(repair.Healthy);
        Assert.Contains(repair.CursorFixes, p => p.Contains("98-100", StringComparison.Ordinal));

        var info = DiskQueue.Inspect(dir.Path);
        Assert.Equal(QueueHealth.Healthy, info.Health);
        Assert.Empty(info.CursorProblems);
        Assert.Equal(101, info.NextSeq);

        using var queue = DiskQueue.Open(dir.Options(SegmentBytes));
        Assert.Empty(queue.OpenNotes);
        Assert.Equal(101, queue.NextSeq);
    }

    [Fact]
    public async Task Seqs_marked_lost_are_passed_over_by_readers_and_kept_across_a_reopen()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using (var queue = DiskQueue.Open(dir.Options(SegmentBytes)))
        {
            using var follower = queue.OpenReader(1);
            await Append(queue, 10, ct);
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await queue.MarkLostAsync(5, 7, ct));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await queue.MarkLostAsync(12, 20, ct));
            await queue.MarkLostAsync(11, 20, ct);
            Assert.Equal(21, queue.NextSeq);
            Assert.Equal(20, queue.DurableSeq);
            await Append(queue, 5, ct);

            var followed = new List<long>();
            while (followed.Count < 15 && await follower.WaitToReadAsync(ct))
            {
                while (follower.TryRead(out var record))
                {
                    followed.Add(record.Seq);
                }
            }

            Assert.Equal(Expected(), followed);
        }

        await using var reopened = DiskQueue.Open(dir.Options(SegmentBytes));
        Assert.Equal(new QueueSeqRange(11, 20), Assert.Single(reopened.LostSeqs));
        Assert.Equal(Expected(), QueueTestDir.ReadAll(reopened, 1).Select(r => r.Seq));
        Assert.Equal(QueueHealth.Healthy, DiskQueue.Inspect(dir.Path).Health);

        static IEnumerable<long> Expected() => Enumerable.Range(1, 10).Concat(Enumerable.Range(21, 5)).Select(i => (long)i);
    }

    private static async Task Append(DiskQueue queue, int count, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            await queue.AppendAsync(new byte[] { (byte)i }, ct);
        }

        await queue.CommitAsync(ct);
    }

    private static void Fill(QueueTestDir dir, int count, long cursorAt)
    {
        var ct = QueueTestDir.Timeout();
        using var queue = DiskQueue.Open(dir.Options(SegmentBytes));
        for (var seq = 1; seq <= count; seq++)
        {
            queue.AppendAsync(QueueTestDir.PayloadFor(seq, RecordSize), ct).AsTask().GetAwaiter().GetResult();
        }

        queue.CommitAsync(ct).AsTask().GetAwaiter().GetResult();
        Assert.True(dir.SegmentFiles().Length > count / PerSegment, $"expected several segments of {PerSegment} records");

        // Retention then removes the segments the cursor passed, as it does in an agent's queue.
        queue.SetCursor("link", cursorAt);
    }

    /// <summary>Cuts the tail segment inside its last records, as a lost write-back would after they were acknowledged.</summary>
    private static void CutTail(QueueTestDir dir, int recordsToLose)
    {
        var tail = dir.SegmentFiles()[^1];
        var length = new FileInfo(tail).Length;
        using var file = File.OpenHandle(tail, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.SetLength(file, length - (recordsToLose * FrameSize) + (FrameSize / 2));
    }

    private static long FirstSeqOf(string segment) => long.Parse(Path.GetFileNameWithoutExtension(segment), System.Globalization.CultureInfo.InvariantCulture);
}
