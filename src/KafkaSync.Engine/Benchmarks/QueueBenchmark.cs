using System.Diagnostics;
using System.Globalization;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// Measures, in one run and one folder: raw sequential write + fdatasync (the baseline), the
/// queue's group-commit append throughput for 1 KiB and 100 B records, the time to open a queue
/// with a large backlog, and the read throughput of a backlog. Reports one line per figure and,
/// last, <c>queue-vs-disk</c>: the queue's MB/s for 1 KiB records over the raw disk's MB/s.
/// The baseline and the 1 KiB queue run in alternating rounds, so that both meet the same disk
/// conditions (a shared disk's speed drifts by more than the difference being measured); the
/// baseline is the best of several block sizes, since virtual disks favour some sizes strongly.
/// </summary>
public static class QueueBenchmark
{
    private static readonly int[] RawBlocks = [4 << 20, 16 << 20, 32 << 20];
    private const int BatchSize = 1000;
    private const long RoundBytes = 64L << 20;

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
            report($"bench queue: {ByteSize.Format(bytesPerFigure)} per figure in {root}, fdatasync on each group commit");
            var pool = new byte[(64 << 20) + 1024];
            Random.Shared.NextBytes(pool);

            // Baselines and the 1 KiB queue, alternating rounds.
            var raws = RawBlocks.Select(b => new RawWriter(Path.Combine(root, $"raw-{b >> 20}MiB.bin"), bytesPerFigure, b, pool)).ToList();
            await using var large = new Appender(Path.Combine(root, "q1k"), 1024, bytesPerFigure, pool);
            var round = Math.Min(RoundBytes, bytesPerFigure);
            for (long done = 0; done < bytesPerFigure; done += round)
            {
                var count = Math.Min(round, bytesPerFigure - done);
                foreach (var raw in raws)
                {
                    raw.Write(count, ct);
                }

                await large.AppendAsync(count, ct);
            }

            foreach (var raw in raws)
            {
                raw.Dispose();
                report($"disk-write-fdatasync-{ByteSize.Format(raw.Block).Replace(" ", "", StringComparison.Ordinal)}: {Mb(raw.BytesPerSecond):F1} MB/s (writes of {ByteSize.Format(raw.Block)} into a preallocated file, fdatasync after each)");
            }

            var disk = raws.Max(r => r.BytesPerSecond);
            report($"disk-write-fdatasync: {Mb(disk):F1} MB/s (the best of the above: the baseline)");
            report($"queue-append-1KiB: {large.RecordsPerSecond:N0} records/s, {Mb(large.BytesPerSecond):F1} MB/s ({large.Summary})");
            await large.DisposeAsync();

            var read = Read(Path.Combine(root, "q1k"), bytesPerFigure, ct);
            report($"queue-read-1KiB: {read.RecordsPerSecond:N0} records/s, {Mb(read.BytesPerSecond):F1} MB/s, {read.RecordsPerSecond / large.RecordsPerSecond:F1}x the append rate; working set {read.StartMiB} MiB at start, {read.PeakMiB} MiB at most");
            Directory.Delete(Path.Combine(root, "q1k"), recursive: true);

            await using (var small = new Appender(Path.Combine(root, "q100"), 100, bytesPerFigure, pool))
            {
                await small.AppendAsync(bytesPerFigure, ct);
                report($"queue-append-100B: {small.RecordsPerSecond:N0} records/s, {Mb(small.BytesPerSecond):F1} MB/s ({small.Summary})");
            }

            var open = Stopwatch.StartNew();
            using (var reopened = DiskQueue.Open(Options(Path.Combine(root, "q100"), bytesPerFigure)))
            {
                report($"queue-open-backlog: {open.Elapsed.TotalMilliseconds:F0} ms with {reopened.NextSeq - reopened.FirstSeq:N0} records pending");
            }

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
        return new Rate(records / seconds, payloadBytes / seconds, start >> 20, Math.Max(peak, Environment.WorkingSet) >> 20);
    }

    private readonly record struct Rate(double RecordsPerSecond, double BytesPerSecond, long StartMiB, long PeakMiB);

    /// <summary>Sequential pwrite of large blocks into a fresh preallocated file, each followed by fdatasync.</summary>
    private sealed class RawWriter(string path, long bytes, int block, byte[] pool) : IDisposable
    {
        // Preallocated like the queue's segments, so the baseline is the disk's best, not a handicap.
        private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.None, bytes);
        private readonly Stopwatch _clock = new();
        private long _written;

        public double BytesPerSecond => _written / _clock.Elapsed.TotalSeconds;

        public int Block => block;

        public void Write(long count, CancellationToken ct)
        {
            _clock.Start();
            for (long done = 0; done < count; done += block)
            {
                ct.ThrowIfCancellationRequested();

                // Consecutive blocks differ, as the queue's payloads do.
                var offset = (int)(_written / block % ((pool.Length - 1024) / block)) * block;
                RandomAccess.Write(_file, pool.AsSpan(offset, block), _written);
                _written += block;
                NativeSync.DataSync(_file, path);
            }

            _clock.Stop();
        }

        public void Dispose()
        {
            _file.Dispose();
            File.Delete(path);
        }
    }

    /// <summary>Appends records in batches, each a different slice of a random pool, and times it including the final commit.</summary>
    private sealed class Appender(string path, int recordSize, long bytes, byte[] pool) : IAsyncDisposable
    {
        // Different payloads throughout: repeated ones would let a compressing or deduplicating
        // storage layer flatter the queue against the raw baseline.
        private readonly DiskQueue _queue = DiskQueue.Open(Options(path, bytes));
        private readonly ReadOnlyMemory<byte>[] _batch = new ReadOnlyMemory<byte>[BatchSize];
        private readonly int _slots = (pool.Length - 1024) / recordSize;
        private readonly Stopwatch _clock = new();
        private long _records;
        private long _syncsBefore;

        public double RecordsPerSecond => _records / _clock.Elapsed.TotalSeconds;

        public double BytesPerSecond => RecordsPerSecond * recordSize;

        public string Summary
        {
            get
            {
                var syncs = _queue.IsDisposed ? _syncsBefore : _queue.SyncCount;
                return string.Create(CultureInfo.InvariantCulture, $"{_records:N0} records, {syncs:N0} fdatasyncs, {ByteSize.Format(_records * recordSize / Math.Max(1, syncs))} per group commit");
            }
        }

        public async Task AppendAsync(long count, CancellationToken ct)
        {
            var records = Math.Max(BatchSize, count / recordSize / BatchSize * BatchSize);
            _clock.Start();
            for (long done = 0; done < records; done += BatchSize)
            {
                for (var i = 0; i < BatchSize; i++)
                {
                    var slot = _records + done + i;
                    _batch[i] = new ReadOnlyMemory<byte>(pool, (int)(slot % _slots) * recordSize + (int)(slot / _slots % 7), recordSize);
                }

                await _queue.AppendBatchAsync(_batch, ct);
            }

            await _queue.CommitAsync(ct);
            _clock.Stop();
            _records += records;
        }

        public ValueTask DisposeAsync()
        {
            if (!_queue.IsDisposed)
            {
                _syncsBefore = _queue.SyncCount;
            }

            return _queue.DisposeAsync();
        }
    }
}
