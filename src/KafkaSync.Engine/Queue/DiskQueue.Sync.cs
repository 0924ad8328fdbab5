using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace KafkaSync.Engine.Queue;

/// <summary>
/// The durable side of group commit: the syncer takes the newest point the writer reached,
/// fdatasyncs it as the policy asks, and publishes it as the durable seq. Everything the writer
/// wrote while the previous fdatasync ran is covered by the next one.
/// </summary>
public sealed partial class DiskQueue
{
    private readonly object _syncGate = new();
    private readonly Thread _syncer;
    private WrittenPoint? _written;
    private bool _writerDone;
    private long _syncCount;

    /// <summary>How many fdatasyncs the queue has issued (group commits plus segment seals), for benchmarks.</summary>
    internal long SyncCount => Interlocked.Read(ref _syncCount);

    /// <summary>Receives the duration in seconds of every fdatasync (metrics); null: not timed.</summary>
    internal Action<double>? SyncTimed { get; set; }

    /// <summary>fdatasync of the queue's file, counted and, when someone listens, timed.</summary>
    private void DataSync(SafeFileHandle file, string path)
    {
        var timed = SyncTimed;
        var started = timed is null ? 0 : Stopwatch.GetTimestamp();
        NativeSync.DataSync(file, path);
        Interlocked.Increment(ref _syncCount);
        timed?.Invoke(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private void HandToSyncer(WrittenPoint point)
    {
        lock (_syncGate)
        {
            _written = point;
            Monitor.Pulse(_syncGate);
        }
    }

    private void SyncLoop()
    {
        var sinceSync = Stopwatch.StartNew();
        // Not NextSeq: appends may already have run before this thread started.
        long published = Volatile.Read(ref _durableSeq);
        WrittenPoint? unsynced = null;
        try
        {
            while (true)
            {
                WrittenPoint? point;
                SafeFileHandle held;
                lock (_syncGate)
                {
                    while ((_written is null || _written.Seq == published) && !_writerDone)
                    {
                        var wait = Timeout.Infinite;
                        if (unsynced is not null)
                        {
                            var left = _options.FsyncInterval - sinceSync.Elapsed;
                            if (left <= TimeSpan.Zero)
                            {
                                break;
                            }

                            wait = (int)Math.Ceiling(left.TotalMilliseconds);
                        }

                        Monitor.Wait(_syncGate, wait);
                    }

                    point = _written is not null && _written.Seq != published ? _written : null;
                    if (point is null && unsynced is null && _writerDone)
                    {
                        break;
                    }

                    // Hold the file open while syncing it, even if the writer moves on to the next
                    // segment. A file the writer already closed was synced by it when sealed.
                    held = (point ?? unsynced)!.File;
                    if (held.IsClosed)
                    {
                        unsynced = null;
                        if (point is null)
                        {
                            continue;
                        }
                    }
                }

                var addRef = false;
                try
                {
                    held.DangerousAddRef(ref addRef);
                    var syncNow = _options.Fsync == FsyncPolicy.EachCommit
                        || (_options.Fsync == FsyncPolicy.Interval && (point is null || sinceSync.Elapsed >= _options.FsyncInterval || _writerDone));
                    if (syncNow)
                    {
                        var path = (point ?? unsynced)!.Segment.Path;
                        RetryWhileDiskFull("syncing records", () => DataSync(held, path));
                        sinceSync.Restart();
                        unsynced = null;
                    }
                    else if (point is not null && _options.Fsync == FsyncPolicy.Interval)
                    {
                        unsynced = point;
                    }
                }
                catch (ObjectDisposedException)
                {
                    // Closed by the writer between the check and the reference: it synced the file when sealing it.
                    unsynced = null;
                }
                finally
                {
                    if (addRef)
                    {
                        held.DangerousRelease();
                    }
                }

                if (point is not null)
                {
                    Publish(point);
                    published = point.Seq;
                }
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void Publish(WrittenPoint point)
    {
        lock (_gate)
        {
            point.Segment.DurableLength = Math.Max(point.Segment.DurableLength, point.Position);
            Volatile.Write(ref _durableSeq, point.Seq);
        }

        _durableSignal.Set();
    }

    /// <summary>The end of a write: the last seq written, where, and the open file it went to.</summary>
    private sealed record WrittenPoint(long Seq, Segment Segment, long Position, SafeFileHandle File);
}
