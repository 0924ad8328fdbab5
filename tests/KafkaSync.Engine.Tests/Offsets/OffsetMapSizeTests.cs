using System.Diagnostics;
using KafkaSync.Engine.Offsets;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Offsets;

public sealed class OffsetMapSizeTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kafkasync-offsets-size-").FullName;

    [Theory]
    [InlineData(1, 0)]        // idempotent, source without gaps: one range per partition
    [InlineData(10_000, 0)]   // exactly-once, 10,000 records per transaction: a marker ends each run in the target
    [InlineData(1, 50)]       // a source gap every 50 records (compaction, markers of a transactional source)
    public void A_million_records_take_ranges_not_entries(int perTransaction, int sourceGapEvery)
    {
        const int Partitions = 4;
        const int Records = 1_000_000;
        var clock = new Stopwatch();
        using (var writer = OffsetMapWriter.Open(_folder, long.MaxValue))
        {
            var source = new long[Partitions];
            var target = new long[Partitions];
            for (var i = 0; i < Records; i++)
            {
                var p = i % Partitions;
                clock.Start();
                writer.Record("orders", p, source[p], "orders", p, target[p]);
                clock.Stop();
                source[p] += sourceGapEvery > 0 && (i / Partitions + 1) % sourceGapEvery == 0 ? 2 : 1;
                target[p] += perTransaction > 1 && (i / Partitions + 1) % (perTransaction / Partitions) == 0 ? 2 : 1;
                if (i % 20_000 == 0)
                {
                    writer.Flush(i, pending: false);
                }
            }

            writer.Flush(Records, pending: false);
        }

        var elapsed = clock.Elapsed;
        var map = OffsetMap.Load(_folder);
        var log = new FileInfo(Path.Combine(_folder, OffsetMap.FileName)).Length;
        using (OffsetMapWriter.Open(_folder, long.MaxValue))
        {
            // Reopening compacts.
        }

        var compacted = new FileInfo(Path.Combine(_folder, OffsetMap.FileName)).Length;
        output.WriteLine($"{Records:N0} records: {map.RangeCount:N0} ranges, log {log:N0} B, compacted {compacted:N0} B, {Records / elapsed.TotalSeconds:N0} records/s recorded (flushes not counted)");
        Assert.Equal(Records, map.RecordCount);
        var expected = Partitions + (perTransaction > 1 ? Records / perTransaction * Partitions : 0) + (sourceGapEvery > 0 ? Records / sourceGapEvery : 0);
        Assert.InRange(map.RangeCount, Partitions, expected + Partitions);
        Assert.InRange(compacted, 1, 64L * expected + 64);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
