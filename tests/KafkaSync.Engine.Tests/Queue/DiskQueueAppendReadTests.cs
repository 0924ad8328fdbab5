using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Queue;

public sealed class DiskQueueAppendReadTests
{
    [Fact]
    public async Task Appended_records_read_back_in_seq_order_from_one()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using var queue = DiskQueue.Open(dir.Options());
        Assert.Equal(1, queue.NextSeq);
        Assert.Equal(1, queue.FirstSeq);
        for (var i = 1; i <= 500; i++)
        {
            Assert.Equal(i, await queue.AppendAsync(QueueTestDir.PayloadFor(i, i % 300), ct));
        }

        Assert.Equal(500, await queue.CommitAsync(ct));
        var records = QueueTestDir.ReadAll(queue, 1);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.All(records, r => Assert.Equal(QueueTestDir.PayloadFor(r.Seq, (int)(r.Seq % 300)), r.Payload.ToArray()));
        Assert.True(dir.SegmentFiles().Length > 1, "64 KiB segments should have rolled");
    }

    [Fact]
    public async Task A_borrowed_read_gives_each_payload_right_until_the_next_read_across_segments()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using var queue = DiskQueue.Open(dir.Options());
        for (var i = 1; i <= 800; i++)
        {
            await queue.AppendAsync(QueueTestDir.PayloadFor(i, 50 + (i * 31 % 900)), ct);
        }

        await queue.CommitAsync(ct);
        using var reader = queue.OpenReader(1);
        var read = 0;
        while (reader.TryReadBorrowed(out var record))
        {
            read++;
            Assert.Equal(read, record.Seq);
            Assert.Equal(QueueTestDir.PayloadFor(record.Seq, 50 + (int)(record.Seq * 31 % 900)), record.Payload.ToArray());
        }

        Assert.Equal(800, read);
        Assert.True(dir.SegmentFiles().Length > 1, "64 KiB segments should have rolled");
    }

    [Fact]
    public async Task A_borrowing_reader_keeps_one_read_buffer_across_segments()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using var queue = DiskQueue.Open(dir.Options(segmentBytes: 2L << 20));
        var payload = new byte[16 << 10];
        for (var i = 0; i < 640; i++)
        {
            await queue.AppendAsync(payload, ct);
        }

        await queue.CommitAsync(ct);
        Assert.True(dir.SegmentFiles().Length >= 5, $"{dir.SegmentFiles().Length} segments");
        using var reader = queue.OpenReader(1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = 0;
        while (reader.TryReadBorrowed(out _))
        {
            read++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(640, read);
        // One 1 MiB buffer for the whole read; a fresh one per segment was large-object garbage.
        Assert.True(allocated < 3L << 20, $"reading 10 MiB over {dir.SegmentFiles().Length} segments allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task Reopen_keeps_every_record_and_continues_the_seq()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using (var queue = DiskQueue.Open(dir.Options()))
        {
            var batch = Enumerable.Range(1, 300).Select(i => (ReadOnlyMemory<byte>)QueueTestDir.PayloadFor(i, 200)).ToList();
            Assert.Equal(300, await queue.AppendBatchAsync(batch, ct));
        }

        await using (var queue = DiskQueue.Open(dir.Options()))
        {
            Assert.Equal(301, queue.NextSeq);
            Assert.Equal(300, queue.DurableSeq);
            Assert.Equal(0, queue.RecoveredTornBytes);
            Assert.Equal(301, await queue.AppendAsync(QueueTestDir.PayloadFor(301, 200), ct));
            await queue.CommitAsync(ct);
            var records = QueueTestDir.ReadAll(queue, 1);
            Assert.Equal(301, records.Count);
            Assert.All(records, r => Assert.Equal(QueueTestDir.PayloadFor(r.Seq, 200), r.Payload.ToArray()));
        }
    }

    [Fact]
    public async Task Reader_opened_at_any_seq_starts_exactly_there()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using (var writer = DiskQueue.Open(dir.Options(segmentBytes: 256 * 1024)))
        {
            for (var i = 1; i <= 3000; i++)
            {
                writer.TryAppend(QueueTestDir.PayloadFor(i, 100), out _);
            }

            await writer.CommitAsync(ct);
        }

        // Reopened, so sealed segments are found through their index files, not memory.
        await using var queue = DiskQueue.Open(dir.Options(segmentBytes: 256 * 1024));
        foreach (var from in new long[] { 1, 2, 777, 1999, 2000, 2001, 3000, 3001 })
        {
            using var reader = queue.OpenReader(from);
            if (from == 3001)
            {
                Assert.False(reader.TryRead(out _));
                continue;
            }

            Assert.True(reader.TryRead(out var record));
            Assert.Equal(from, record.Seq);
            Assert.Equal(QueueTestDir.PayloadFor(from, 100), record.Payload.ToArray());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => queue.OpenReader(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.OpenReader(3002));
    }

    [Fact]
    public async Task Reader_waiting_at_the_tail_wakes_when_records_become_durable()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using var queue = DiskQueue.Open(dir.Options());
        using var reader = queue.OpenReader(1);
        Assert.False(reader.TryRead(out _));
        var received = new List<long>();
        var consumer = Task.Run(
            async () =>
            {
                while (received.Count < 1000 && await reader.WaitToReadAsync(ct))
                {
                    while (reader.TryRead(out var record))
                    {
                        Assert.True(record.Seq <= queue.DurableSeq, "a reader saw a record that was not durable yet");
                        received.Add(record.Seq);
                    }
                }
            },
            ct);

        for (var i = 1; i <= 1000; i++)
        {
            await queue.AppendAsync(QueueTestDir.PayloadFor(i, 64), ct);
            if (i % 100 == 0)
            {
                await queue.CommitAsync(ct);
            }
        }

        await consumer.WaitAsync(ct);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), received);
    }

    [Fact]
    public async Task Waiting_reader_returns_false_when_the_queue_is_disposed()
    {
        using var dir = new QueueTestDir();
        var queue = DiskQueue.Open(dir.Options());
        using var reader = queue.OpenReader(1);
        var wait = reader.WaitToReadAsync(QueueTestDir.Timeout()).AsTask();
        Assert.False(wait.IsCompleted);
        await queue.DisposeAsync();
        Assert.False(await wait);
    }

    [Fact]
    public async Task Concurrent_appenders_get_unique_contiguous_seqs_and_share_commits()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using var queue = DiskQueue.Open(dir.Options(segmentBytes: 1 << 20));
        var seqs = new System.Collections.Concurrent.ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(
            async () =>
            {
                for (var i = 0; i < 2000; i++)
                {
                    var seq = await queue.AppendAsync(BitConverter.GetBytes((long)t), ct);
                    seqs.Add(seq);
                    if (i % 50 == 0)
                    {
                        Assert.True(await queue.CommitAsync(ct) >= seq);
                    }
                }
            },
            ct)));
        await queue.CommitAsync(ct);
        Assert.Equal(Enumerable.Range(1, 8000).Select(i => (long)i), seqs.Order());
        Assert.Equal(8000, QueueTestDir.ReadAll(queue, 1).Count);
    }

    [Fact]
    public void A_second_writer_gets_a_clear_locked_error()
    {
        using var dir = new QueueTestDir();
        using var queue = DiskQueue.Open(dir.Options());
        var ex = Assert.Throws<QueueLockedException>(() => DiskQueue.Open(dir.Options()));
        Assert.Contains("already open for writing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Advance_empty_to_starts_a_fresh_queue_at_the_given_seq_and_survives_reopen()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        await using (var queue = DiskQueue.Open(dir.Options()))
        {
            queue.AdvanceEmptyTo(1000);
            Assert.Equal(1000, queue.NextSeq);
            Assert.Equal(1000, queue.FirstSeq);
            Assert.Equal(1000, await queue.AppendAsync(new byte[] { 1 }, ct));
            await queue.CommitAsync(ct);
            Assert.Throws<InvalidOperationException>(() => queue.AdvanceEmptyTo(5000));
        }

        await using (var queue = DiskQueue.Open(dir.Options()))
        {
            Assert.Equal(1001, queue.NextSeq);
            Assert.Equal(1000, Assert.Single(QueueTestDir.ReadAll(queue, 1000)).Seq);
        }
    }

    [Fact]
    public void A_record_larger_than_a_segment_is_refused_with_the_setting_to_change()
    {
        using var dir = new QueueTestDir();
        using var queue = DiskQueue.Open(dir.Options(segmentBytes: 8192, capacityBytes: 1 << 20));
        var ex = Assert.Throws<ArgumentException>(() => queue.TryAppend(new byte[9000], out _));
        Assert.Contains("queue.segmentBytes", ex.Message, StringComparison.Ordinal);
    }
}
