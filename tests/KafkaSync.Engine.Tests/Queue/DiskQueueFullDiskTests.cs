using System.Diagnostics;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Queue;

/// <summary>A real full disk: a small tmpfs mounted for the test, remounted bigger to give room back.</summary>
public sealed class DiskQueueFullDiskTests
{
    private const int PayloadBytes = 500;

    /// <param name="reserve">The room the writer leaves; 0 lets writes run into ENOSPC itself, part-way through a chunk.</param>
    [Theory]
    [InlineData(1L << 20)]
    [InlineData(0L)]
    public async Task A_full_disk_pauses_appends_and_when_room_returns_every_record_is_written_once_in_order(long reserve)
    {
        using var disk = new TmpfsMount("2m");
        var ct = QueueTestDir.Timeout(90);
        var options = new DiskQueueOptions { Path = Path.Combine(disk.Path, "q"), SegmentBytes = 64 * 1024, CapacityBytes = 64L << 20 };
        var log = new List<string>();
        const int total = 5_000; // 2.7 MB of records: more than the disk holds
        await using (var queue = DiskQueue.Open(options))
        {
            queue.DiskReserveBytes = reserve;
            queue.Log = new Progress<string>(line => { lock (log) { log.Add(line); } });
            var appender = Task.Run(async () =>
            {
                for (var i = 1; i <= total; i++)
                {
                    await queue.AppendAsync(QueueTestDir.PayloadFor(i, PayloadBytes), ct);
                }

                return await queue.CommitAsync(ct);
            }, ct);

            await WaitUntilAsync(() => queue.DiskFull is not null || appender.IsCompleted, ct);
            Assert.False(appender.IsCompleted, "every append was written although the disk holds a quarter of them");
            var full = queue.DiskFull!;
            Assert.Equal(options.Path, full.Path);
            Assert.Matches(@"^paused: disk full at .+, [\d,]+ bytes free; retrying$", full.Note);

            // Paused, not failed: the durable seq stays below what was appended and nothing throws.
            var durableWhileFull = queue.DurableSeq;
            await Task.Delay(1500, ct);
            Assert.False(appender.IsCompleted);
            Assert.True(queue.DiskFull is not null);
            Assert.True(queue.DurableSeq < total);

            var freed = Stopwatch.StartNew();
            disk.Resize("8m");
            var committed = await appender.WaitAsync(ct);
            var resumedAfter = freed.Elapsed;
            Assert.Equal(total, committed);
            Assert.Null(queue.DiskFull);
            Assert.True(resumedAfter < TimeSpan.FromSeconds(15), $"writing resumed {resumedAfter.TotalSeconds:0.0} s after room returned");
            Assert.True(durableWhileFull < total);
        }

        lock (log)
        {
            Assert.Single(log, l => l.Contains("is full", StringComparison.Ordinal));
            Assert.Single(log, l => l.Contains("has room again", StringComparison.Ordinal));
        }

        await using (var queue = DiskQueue.Open(options))
        {
            var records = QueueTestDir.ReadAll(queue, 1);
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), records.Select(r => r.Seq));
            Assert.All(records, r => Assert.Equal(QueueTestDir.PayloadFor(r.Seq, PayloadBytes), r.Payload.ToArray()));
        }
    }

    [Fact]
    public async Task Closing_a_queue_that_waits_for_room_keeps_every_committed_record()
    {
        using var disk = new TmpfsMount("1m");
        var ct = QueueTestDir.Timeout();
        var options = new DiskQueueOptions { Path = Path.Combine(disk.Path, "q"), SegmentBytes = 64 * 1024, CapacityBytes = 64L << 20 };
        long committed;
        var queue = DiskQueue.Open(options);
        queue.DiskReserveBytes = 0;
        var appender = Task.Run(async () =>
        {
            for (var i = 1; i <= 4_000; i++)
            {
                await queue.AppendAsync(QueueTestDir.PayloadFor(i, PayloadBytes), ct);
            }
        }, ct);
        await WaitUntilAsync(() => queue.DiskFull is not null, ct);
        committed = queue.DurableSeq;
        Assert.True(committed > 0);
        var closing = Stopwatch.StartNew();
        await queue.DisposeAsync();
        Assert.True(closing.Elapsed < TimeSpan.FromSeconds(5), $"closing took {closing.Elapsed.TotalSeconds:0.0} s");
        // The appends fit in the write buffer, or meet the closed queue: either way they end.
        await Task.WhenAny(appender);

        disk.Resize("8m");
        await using var reopened = DiskQueue.Open(options);
        var records = QueueTestDir.ReadAll(reopened, 1);
        Assert.True(records.Count >= committed, $"{records.Count} records survived but {committed} were committed");
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.All(records, r => Assert.Equal(QueueTestDir.PayloadFor(r.Seq, PayloadBytes), r.Payload.ToArray()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(20, ct);
        }
    }
}
