using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Tests.Queue;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class AgentLagTests
{
    [Fact]
    public async Task Lag_is_the_age_of_the_first_waiting_record_and_looking_it_up_leaves_little_garbage()
    {
        using var dir = new QueueTestDir();
        var ct = QueueTestDir.Timeout();
        // Segments as large as an agent's, so a reader could fill a full-size buffer.
        await using var queue = DiskQueue.Open(dir.Options(segmentBytes: 64L << 20));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < 2_000; i++)
        {
            var record = new KafkaRecord
            {
                Topic = "t",
                Partition = 0,
                Offset = i,
                Timestamp = now - 60_000 + i,
                TimestampType = KafkaTimestampType.CreateTime,
                Key = null,
                Value = new byte[1_000],
                Headers = [],
            };
            await queue.AppendAsync(KafkaRecordSerializer.Serialize(record), ct);
        }

        await queue.CommitAsync(ct);
        AgentRunner.LagSeconds(queue, 1_000); // compiled and warmed, so only the look-up is counted

        var before = GC.GetAllocatedBytesForCurrentThread();
        var lag = AgentRunner.LagSeconds(queue, 1_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Seq 1,001 holds the record stamped 59 s ago.
        Assert.InRange(lag, 59, 65);
        // An agent looks every second while records wait: a 1 MiB read buffer per look went to the
        // large object heap, which only a full collection frees.
        Assert.True(allocated < 85_000, $"one look-up allocated {allocated:N0} bytes");
        Assert.Equal(0, AgentRunner.LagSeconds(queue, 2_000));
    }
}
