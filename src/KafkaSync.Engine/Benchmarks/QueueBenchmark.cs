using System.Diagnostics;
using System.Globalization;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// Measures, in one run and one folder: raw sequential write + fdatasync (the baseline), the
/// queue's group-commit append throughput for 100 B and 1 KiB records, the time to open a queue
/// with a large backlog, and the read throughput of that backlog. Reports one line per figure
/// and, last, <c>queue-vs-disk</c>: the queue's MB/s for 1 KiB records over the raw disk's MB/s.
/// </summary>
public static class QueueBenchmark
{
    private const int RawBlock = 8 << 20;
    private const int BatchSize = 1000;

    /// <summary>Runs every measurement, writing about <paramref name="bytesPerFigure"/> per figure into <paramref name="directory"/>.</summary>
    /// <param name="directory">Where to write; the benchmark's files are removed afterwards.</param>
    /// <param name="bytesPerFigure">Bytes written per measurement; at least 2 GiB gives sustained figures (short runs overstate disks).</param>
    /// <param name="report">Receives each result line as soon as it is measured.</param>
    /// <param name="ct">Stops the run.</param>
    /// <returns>The queue-vs-disk ratio.</returns>
    public static async Task<double> RunAsync(string directory, long bytesPerFigure, Action<string> report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        OptionsException.ThrowIfOutOfRange("size", bytesPerFigure, 16L << 20, 1L << 40, ByteSize.Format);
        var root = Path.Combine(Path.GetFullPath(directory), "kafkasync-bench-queue-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(root);
        try
        {
            report($"bench queue: {ByteSize.Format(bytesPerFigure)} per figure in {root}, fsync each group commit");
            var disk = RawDisk(Path.Combine(root, "raw.bin"), bytesPerFigure, ct);
            report($"disk-write-fdatasync: {Mb(disk):F1} MB/s ({ByteSize.Format(RawBlock)} writes, fdatasync after each)");
            File.Delete(Path.Combine(root, "raw.bin"));

            var small = await AppendAsync(Path.Combine(root, "q100"), 100, bytesPerFigure, ct);
            report($"queue-append-100B: {small.RecordsPerSecond:N0} records/s, {Mb(small.BytesPerSecond):F1} MB/s ({small.Records:N0} records)");

            var open = Stopwatch.StartNew();
            using (var reopened = DiskQueue.Open(Options(Path.Combine(root, "q100"), bytesPerFigure)))
            {
                report($"queue-open-backlog: {open.Elapsed.TotalMilliseconds:F0} ms with {reopened.NextSeq - reopened.FirstSeq:N0} records pending");
            }

            Directory.Delete(Path.Combine(root, "q100"), recursive: true);
            var large = await AppendAsync(Path.Combine(root, "q1k"), 1024, bytesPerFigure, ct);
            report($"queue-append-1KiB: {large.RecordsPerSecond:N0} records/s, {Mb(large.BytesPerSecond):F1} MB/s ({large.Records:N0} records)");

            var read = Read(Path.Combine(root, "q1k"), bytesPerFigure, ct);
            report($"queue-read-1KiB: {read.RecordsPerSecond:N0} records/s, {Mb(read.BytesPerSecond):F1} MB/s, {read.RecordsPerSecond / large.RecordsPerSecond:F1}x the append rate; working set {read.StartMiB} MiB at start, {read.PeakMiB} MiB at most");

            var ratio = large.BytesPerSecond / disk;
            report($"queue-vs-disk: {ratio:F2}");
            return ratio;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static DiskQueueOptions Options(string path, long bytes) => new()
    {
        Path = path,
        CapacityBytes = Math.Max(2 * bytes, 1L << 30),
        Fsync = FsyncPolicy.EachCommit,
    };

    private static double Mb(double bytesPerSecond) => bytesPerSecond / 1e6;

    /// <summary>Sequential pwrite of large blocks into a fresh file, each followed by fdatasync.</summary>
    private static double RawDisk(string path, long bytes, CancellationToken ct)
    {
        var block = new byte[RawBlock];
        Random.Shared.NextBytes(block);
        using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
        var clock = Stopwatch.StartNew();
        long written = 0;
        while (written < bytes)
        {
            ct.ThrowIfCancellationRequested();
            RandomAccess.Write(file, block, written);
            written += block.Length;
            NativeSync.DataSync(file, path);
        }

        return written / clock.Elapsed.TotalSeconds;
    }

    private static async Task<Rate> AppendAsync(string path, int recordSize, long bytes, CancellationToken ct)
    {
        var payload = new byte[recordSize];
        Random.Shared.NextBytes(payload);
        var batch = Enumerable.Repeat((ReadOnlyMemory<byte>)payload, BatchSize).ToArray();
        var records = bytes / recordSize / BatchSize * BatchSize;
        await using var queue = DiskQueue.Open(Options(path, bytes));
        var clock = Stopwatch.StartNew();
        for (long done = 0; done < records; done += BatchSize)
        {
            await queue.AppendBatchAsync(batch, ct);
        }

        await queue.CommitAsync(ct);
        var seconds = clock.Elapsed.TotalSeconds;
        return new Rate(records, records / seconds, records * recordSize / seconds, 0, 0);
    }

    private static Rate Read(string path, long bytes, CancellationToken ct)
    {
        using var queue = DiskQueue.Open(Options(path, bytes));
        using var reader = queue.OpenReader(queue.FirstSeq);
        var start = Environment.WorkingSet;
        var peak = start;
        long records = 0, payloadBytes = 0;
        var clock = Stopwatch.StartNew();
        while (reader.TryRead(out var record))
        {
            records++;
            payloadBytes += record.Payload.Length;
            if ((records & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
                peak = Math.Max(peak, Environment.WorkingSet);
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return new Rate(records, records / seconds, payloadBytes / seconds, start >> 20, Math.Max(peak, Environment.WorkingSet) >> 20);
    }

    private readonly record struct Rate(long Records, double RecordsPerSecond, double BytesPerSecond, long StartMiB, long PeakMiB);
}
