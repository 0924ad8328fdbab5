using System.Globalization;

namespace KafkaSync.Engine.Queue;

/// <summary>
/// A full disk is backpressure, not a failure: the writer keeps the records it could not write
/// and tries again with a growing pause (1 s up to 5 s) until the disk has room. A retried write
/// goes to the same position with the same bytes, so a partial write is simply completed; nothing
/// is lost or doubled. While it waits, appends fill the bounded write buffer and then wait too,
/// which pauses the consumer or the link that feeds the queue.
/// </summary>
public sealed partial class DiskQueue
{
    /// <summary>
    /// Room the writer leaves free on the disk, so that cursors, checkpoints, the offset map and
    /// the status file can still be saved when segments have filled it: cursors moving on is what
    /// lets retention free space again, and the status is how an operator learns of the pause.
    /// Tests set 0 to meet the file system's own "no space left".
    /// </summary>
    internal long DiskReserveBytes { get; set; } = 1L << 20;

    private const int ENOSPC = 28;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(30);
    private readonly object _diskFullGate = new();
    private readonly CancellationTokenSource _closing = new();
    private static readonly TimeSpan MeasureFreeEvery = TimeSpan.FromSeconds(1);
    private const long MeasureFreeBelow = 64L << 20;
    private QueueDiskFull? _diskFull;
    private DateTimeOffset _diskFullReported;
    private long _freeEstimate;
    private long _freeMeasuredAt;

    /// <summary>Set while the queue waits for room on a full disk (its writes are retried); null otherwise.</summary>
    public QueueDiskFull? DiskFull => Volatile.Read(ref _diskFull);

    /// <summary>
    /// Receives warnings about the disk: one line when writing stops on a full disk, one every 30 s
    /// while it stays full, and one when writing resumes. Null: not reported.
    /// </summary>
    public IProgress<string>? Log { get; set; }

    /// <summary>
    /// Runs <paramref name="action"/> until it does not fail for a full disk, waiting between
    /// attempts. When the queue is closed while waiting, the last failure is thrown.
    /// </summary>
    private void RetryWhileDiskFull(string operation, Action action)
    {
        var delay = FirstRetry;
        var failed = false;
        while (true)
        {
            try
            {
                action();
                break;
            }
            catch (IOException ex) when (DiskSpace.IsFull(ex) && !_closing.IsCancellationRequested)
            {
                failed = true;
                NoteDiskFull(operation);
                if (_closing.Token.WaitHandle.WaitOne(delay))
                {
                    throw;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
            }
        }

        // Only the stage that waited ends the spell: the syncer's next fsync succeeding says
        // nothing about the writer's segment writes.
        if (failed)
        {
            ClearDiskFull();
        }
    }

    /// <summary>
    /// Refuses, as a full disk does, a chunk whose write would leave less than
    /// <see cref="DiskReserveBytes"/> free; a segment still to be created counts with its whole
    /// preallocated size. Once paused, writing resumes only with half the reserve more free, so
    /// that the status and cursor files coming and going near the limit do not pause and resume
    /// the queue over and over.
    /// </summary>
    private void EnsureRoom(Chunk chunk)
    {
        if (DiskReserveBytes <= 0)
        {
            return;
        }

        var need = chunk.Length + (DiskFull is null ? DiskReserveBytes : DiskReserveBytes * 3 / 2);
        if ((_writeFile is null || chunk.Segment != _writeSegment) && !File.Exists(chunk.Segment.Path))
        {
            need += _options.SegmentBytes;
        }

        // Far from full, the free space is asked for once a second and counted down in between;
        // near the limit it is asked for before every chunk.
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_freeEstimate - need < MeasureFreeBelow || System.Diagnostics.Stopwatch.GetElapsedTime(_freeMeasuredAt, now) >= MeasureFreeEvery)
        {
            var free = DiskSpace.FreeBytes(_directory);
            _freeMeasuredAt = now;
            _freeEstimate = free >= 0 ? free : long.MaxValue / 4;
            if (free >= 0 && free < need)
            {
                throw new IOException(string.Create(CultureInfo.InvariantCulture, $"No space left on the disk holding '{_directory}': {free:N0} bytes are free and the queue keeps {DiskReserveBytes:N0} for its cursors and status"), ENOSPC);
            }
        }

        _freeEstimate -= chunk.Length;
    }

    /// <summary>Records a write refused for lack of space, and says so in the log (once, then every 30 s).</summary>
    private void NoteDiskFull(string operation)
    {
        var free = DiskSpace.FreeBytes(_directory);
        var now = DateTimeOffset.UtcNow;
        string? line = null;
        lock (_diskFullGate)
        {
            var known = _diskFull;
            var next = known is null
                ? new QueueDiskFull(_directory, now, free, 1, operation)
                : known with { FreeBytes = free, Attempts = known.Attempts + 1, Operation = operation };
            Volatile.Write(ref _diskFull, next);
            if (known is null)
            {
                _diskFullReported = now;
                line = string.Create(CultureInfo.InvariantCulture, $"Warning: queue: the disk holding '{_directory}' is full ({Free(free)}) while {operation}; appends pause and the write is retried until there is room. Free space on that disk (or lower queue.capacityBytes below the space it has); nothing is lost.");
            }
            else if (now - _diskFullReported >= ReportEvery)
            {
                _diskFullReported = now;
                line = string.Create(CultureInfo.InvariantCulture, $"Warning: queue: still waiting for room on the disk holding '{_directory}': {next.Attempts} attempts in {(now - next.Since).TotalSeconds:0} s, {Free(free)}.");
            }
        }

        if (line is not null)
        {
            Log?.Report(line);
        }
    }

    /// <summary>
    /// Ends a disk-full spell after a write succeeded, and says so in the log.
    /// <paramref name="cursorOnly"/>: a small cursor file fitting proves nothing about the segment
    /// writes, so it ends only a spell a cursor started.
    /// </summary>
    private void ClearDiskFull(bool cursorOnly = false)
    {
        if (Volatile.Read(ref _diskFull) is null)
        {
            return;
        }

        QueueDiskFull? ended;
        lock (_diskFullGate)
        {
            ended = _diskFull;
            if (ended is null || (cursorOnly && !ended.Operation.StartsWith("saving cursor", StringComparison.Ordinal)))
            {
                return;
            }

            Volatile.Write(ref _diskFull, null);
        }

        if (ended is not null)
        {
            Log?.Report(string.Create(CultureInfo.InvariantCulture, $"Queue: the disk holding '{_directory}' has room again; writing resumed after {(DateTimeOffset.UtcNow - ended.Since).TotalSeconds:0.0} s ({ended.Attempts} attempts), nothing lost."));
        }
    }

    private static string Free(long bytes) => bytes >= 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes free") : "free space unknown";
}
