using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Queue;

public sealed class DiskQueueCapacityTests
{
    private const long Segment = 16 * 1024;
    private const long Capacity = 4 * Segment;

    [Fact]
    public async Task A_full_queue_makes_appends_wait_then_draining_lets_every_record_in_without_loss()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using var queue = DiskQueue.Open(dir.Options(segmentBytes: Segment, capacityBytes: Capacity));
        const int total = 2000; // ~460 KiB of frames: about seven times the capacity
        var producer = Task.Run(
            async () =>
            {
                for (var i = 1; i <= total; i++)
                {
                    Assert.Equal(i, await queue.AppendAsync(QueueTestDir.PayloadFor(i, 200), ct));
                }
            },
            ct);

        // The producer fills the queue and blocks: nothing consumes yet.
        await WaitUntil(() => queue.RetainedBytes + 228 > Capacity || producer.IsCompleted, ct);
        Assert.False(producer.IsCompleted);
        Assert.True(queue.RetainedBytes <= Capacity);

        using var reader = queue.OpenReader(1);
        var received = 0L;
        while (received < total)
        {
            await reader.WaitToReadAsync(ct);
            while (reader.TryRead(out var record))
            {
                Assert.Equal(++received, record.Seq);
                Assert.Equal(QueueTestDir.PayloadFor(record.Seq, 200), record.Payload.ToArray());
                Assert.True(queue.RetainedBytes <= Capacity);
            }

            queue.SetCursor("consumer", reader.NextSeq - 1);
        }

        await producer.WaitAsync(ct);
        Assert.Equal(total + 1, queue.NextSeq);
        Assert.True(dir.SegmentFiles().Length <= 5, "retention removed the segments the cursor passed");
    }

    [Fact]
    public async Task Waiting_for_space_can_be_cancelled_and_appends_nothing()
    {
        using var dir = new QueueTestDir();
        await using var queue = DiskQueue.Open(dir.Options(segmentBytes: Segment, capacityBytes: Capacity));
        var ct = QueueTestDir.Timeout();
        while (queue.TryAppend(new byte[1000], out _))
        {
        }

        await queue.CommitAsync(ct);
        var next = queue.NextSeq;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.AppendAsync(new byte[1000], cancel.Token));
        Assert.Equal(next, queue.NextSeq);
    }

    [Fact]
    public async Task Retention_removes_only_segments_every_cursor_has_passed_and_the_next_seq_survives()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using (var queue = DiskQueue.Open(dir.Options(segmentBytes: Segment)))
        {
            for (var i = 1; i <= 1000; i++)
            {
                await queue.AppendAsync(QueueTestDir.PayloadFor(i, 100), ct);
            }

            await queue.CommitAsync(ct);
            var segments = dir.SegmentFiles().Length;
            queue.SetCursor("audit", 10);
            queue.SetCursor("link", 1000);
            Assert.Equal(segments, dir.SegmentFiles().Length); // the slow cursor holds everything
            Assert.Equal(1, queue.FirstSeq);
            queue.SetCursor("audit", 1000);
            Assert.Single(dir.SegmentFiles()); // only the tail stays
            Assert.True(queue.FirstSeq > 1);
            Assert.Throws<ArgumentOutOfRangeException>(() => queue.SetCursor("audit", 1001));
            Assert.Throws<ArgumentException>(() => queue.SetCursor("bad/name", 1));
        }

        await using (var queue = DiskQueue.Open(dir.Options(segmentBytes: Segment)))
        {
            Assert.Equal(1001, queue.NextSeq);
            Assert.Equal(1000, queue.GetCursor("audit"));
            Assert.Equal(new Dictionary<string, long> { ["audit"] = 1000, ["link"] = 1000 }, queue.Cursors.ToDictionary());
            Assert.Equal(0, queue.GetCursor("never-set"));
        }
    }

    [Fact]
    public async Task A_reader_whose_finished_segment_retention_removed_moves_on_to_the_next()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using var queue = DiskQueue.Open(dir.Options(segmentBytes: Segment));
        for (var i = 1; i <= 300; i++)
        {
            await queue.AppendAsync(QueueTestDir.PayloadFor(i, 200), ct);
        }

        await queue.CommitAsync(ct);
        var secondSegmentStarts = long.Parse(Path.GetFileNameWithoutExtension(dir.SegmentFiles()[1]), System.Globalization.CultureInfo.InvariantCulture);
        using var reader = queue.OpenReader(1);
        QueueRecord record;
        do
        {
            Assert.True(reader.TryRead(out record));
        }
        while (record.Seq < secondSegmentStarts - 1);

        queue.SetCursor("consumer", record.Seq); // removes the segment the reader stands at the end of
        Assert.Equal(secondSegmentStarts, queue.FirstSeq);
        Assert.True(await reader.WaitToReadAsync(ct));
        Assert.True(reader.TryRead(out record));
        Assert.Equal(secondSegmentStarts, record.Seq);
    }

    [Fact]
    public async Task Inspection_from_outside_sees_cursors_lag_pending_work_and_age()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using var queue = DiskQueue.Open(dir.Options(segmentBytes: Segment));
        for (var i = 1; i <= 300; i++)
        {
            await queue.AppendAsync(QueueTestDir.PayloadFor(i, 100), ct);
        }

        await queue.CommitAsync(ct);
        queue.SetCursor("producer", 100);
        queue.SetCursor("link", 250);
        var info = DiskQueue.Inspect(dir.Path);
        Assert.Equal(1, info.FirstSeq);
        Assert.Equal(300, info.LastSeq);
        Assert.Equal(QueueHealth.Healthy, info.Health);
        Assert.Equal([new QueueCursorInfo("link", 250, 50), new QueueCursorInfo("producer", 100, 200)], info.Cursors);
        Assert.Equal(200, info.PendingRecords);
        Assert.Equal(200 * 128, info.PendingBytes);
        Assert.InRange(info.OldestPendingAge!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.Equal(dir.SegmentFiles().Length, info.Segments.Count);
        Assert.True(info.SizeOnDisk >= 300 * 128);

        var peek = DiskQueue.Peek(dir.Path, 299, 10);
        Assert.Equal([299L, 300L], peek.Select(r => r.Seq));
        Assert.Equal(QueueTestDir.PayloadFor(299, 100), peek[0].Payload.ToArray());
    }

    [Fact]
    public async Task HasRoomFor_is_false_once_appends_stop_at_the_capacity_and_true_again_once_the_reader_frees_room()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using var queue = DiskQueue.Open(dir.Options(segmentBytes: Segment, capacityBytes: Capacity));
        Assert.True(queue.HasRoomFor(200));

        var appended = 0L;
        while (queue.TryAppend(QueueTestDir.PayloadFor(appended + 1, 200), out _))
        {
            appended++;
        }

        // The write buffer (16 MiB) is far larger than this queue: the capacity stopped the appends.
        Assert.False(queue.HasRoomFor(200));
        Assert.True(queue.RetainedBytes + 228 > Capacity, $"{queue.RetainedBytes} bytes retained of {Capacity}");

        await queue.CommitAsync(ct);
        queue.SetCursor("consumer", appended);
        Assert.True(queue.HasRoomFor(200), "retention freed the segments the cursor passed");
    }

    [Fact]
    public void Options_errors_name_the_setting()
    {
        Assert.Equal("queue.segmentBytes", Assert.Throws<Configuration.OptionsException>(() => new DiskQueueOptions { Path = "q", SegmentBytes = 10 }.Validate()).Field);
        Assert.Equal("queue.capacityBytes", Assert.Throws<Configuration.OptionsException>(() => new DiskQueueOptions { Path = "q", CapacityBytes = 1 << 20 }.Validate()).Field);
        Assert.Equal("queue.path", Assert.Throws<Configuration.OptionsException>(() => new DiskQueueOptions { Path = " " }.Validate()).Field);
        Assert.Equal("queue.fsyncInterval", Assert.Throws<Configuration.OptionsException>(() => new DiskQueueOptions { Path = "q", Fsync = FsyncPolicy.Interval, FsyncInterval = TimeSpan.Zero }.Validate()).Field);
    }

    [Fact]
    public void Opening_a_folder_that_holds_something_else_is_refused()
    {
        using var dir = new QueueTestDir();
        Directory.CreateDirectory(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "notes.txt"), "hello");
        var ex = Assert.Throws<QueueException>(() => DiskQueue.Open(dir.Options()));
        Assert.Contains("is not a KafkaSync queue", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is not a KafkaSync queue", Assert.Throws<QueueException>(() => DiskQueue.Inspect(dir.Path)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<QueueException>(() => DiskQueue.Inspect(dir.Path + "-missing")).Message, StringComparison.Ordinal);
    }

    private static async Task WaitUntil(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(10, ct);
        }
    }
}
