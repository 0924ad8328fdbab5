using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace KafkaSync.Engine.Queue;

/// <summary>
/// Group commit: one background thread writes whatever accumulated while its previous write and
/// fdatasync ran, then publishes the new durable seq. Appenders never wait for a sync.
/// </summary>
public sealed partial class DiskQueue
{
    private readonly Thread _flusher;
    private SafeFileHandle? _writeFile;
    private Segment? _writeSegment;
    private long _syncCount;

    /// <summary>How many fdatasyncs the flusher has issued (group commits plus segment seals), for benchmarks.</summary>
    internal long SyncCount => Interlocked.Read(ref _syncCount);

    /// <summary>
    /// Makes every record appended before the call durable (under <see cref="FsyncPolicy.EachCommit"/>,
    /// synced to disk) and returns the durable seq. Concurrent callers share one fdatasync.
    /// </summary>
    public async ValueTask<long> CommitAsync(CancellationToken ct)
    {
        var target = NextSeq - 1;
        await WaitForDurableAsync(target, ct).ConfigureAwait(false);
        return DurableSeq;
    }

    /// <summary>Waits until <paramref name="seq"/> is durable.</summary>
    /// <exception cref="QueueException">The writer failed (for example, the disk is full).</exception>
    public async ValueTask WaitForDurableAsync(long seq, CancellationToken ct)
    {
        while (true)
        {
            var changed = _durableSignal.WaitTask;
            if (DurableSeq >= seq)
            {
                return;
            }

            ThrowIfFailed();
            ThrowIfDisposed();
            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private void FlushLoop()
    {
        var sinceSync = Stopwatch.StartNew();
        var unsynced = false;
        try
        {
            while (true)
            {
                List<Chunk> batch;
                lock (_gate)
                {
                    while (_pending.Count == 0 && !_disposed)
                    {
                        var wait = Timeout.Infinite;
                        if (unsynced)
                        {
                            var left = _options.FsyncInterval - sinceSync.Elapsed;
                            if (left <= TimeSpan.Zero)
                            {
                                break;
                            }

                            wait = (int)Math.Ceiling(left.TotalMilliseconds);
                        }

                        Monitor.Wait(_gate, wait);
                    }

                    if (_pending.Count == 0 && _disposed)
                    {
                        break;
                    }

                    batch = _pending;
                    _pending = [];
                }

                long written = 0;
                foreach (var chunk in batch)
                {
                    SwitchTo(chunk.Segment);
                    RandomAccess.Write(_writeFile!, chunk.Buffer.AsSpan(0, chunk.Length), chunk.SegmentOffset);
                    written += chunk.Length;
                }

                if (written > 0)
                {
                    unsynced = true;
                }

                if (unsynced && (_options.Fsync == FsyncPolicy.EachCommit || (_options.Fsync == FsyncPolicy.Interval && sinceSync.Elapsed >= _options.FsyncInterval)))
                {
                    NativeSync.DataSync(_writeFile!, _writeSegment!.Path);
                    Interlocked.Increment(ref _syncCount);
                    sinceSync.Restart();
                    unsynced = false;
                }

                if (_options.Fsync == FsyncPolicy.Never)
                {
                    unsynced = false;
                }

                if (batch.Count > 0)
                {
                    Publish(batch, written);
                }
            }

            if (unsynced && _writeFile is not null)
            {
                NativeSync.DataSync(_writeFile, _writeSegment!.Path);
            }
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _failure, ex);
            _durableSignal.Set();
            _spaceSignal.Set();
        }
    }

    private void Publish(List<Chunk> batch, long written)
    {
        lock (_gate)
        {
            foreach (var chunk in batch)
            {
                chunk.Segment.DurableLength = chunk.SegmentOffset + chunk.Length;
                if (chunk.Buffer.Length == ChunkBytes && _spareChunks.Count < 4)
                {
                    _spareChunks.Push(chunk);
                }
            }

            _pendingBytes -= written;
            Volatile.Write(ref _durableSeq, batch[^1].LastSeq);
        }

        _durableSignal.Set();
        _spaceSignal.Set();
    }

    /// <summary>Makes <paramref name="segment"/> the file being written, sealing the previous one first.</summary>
    private void SwitchTo(Segment segment)
    {
        if (_writeSegment == segment)
        {
            return;
        }

        if (_writeFile is not null)
        {
            // The previous segment must be durable before any record of the next one is: recovery
            // only ever scans the tail.
            if (_options.Fsync != FsyncPolicy.Never)
            {
                NativeSync.DataSync(_writeFile, _writeSegment!.Path);
            }

            _writeFile.Dispose();
            if (_writeSegment!.Length > 0)
            {
                SaveIndex(_writeSegment);
            }
        }

        var exists = File.Exists(segment.Path);
        _writeFile = File.OpenHandle(
            segment.Path,
            exists ? FileMode.Open : FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete,
            FileOptions.None,
            exists ? 0 : _options.SegmentBytes);
        _writeSegment = segment;
        if (!exists && _options.Fsync != FsyncPolicy.Never)
        {
            NativeSync.SyncDirectory(_directory);
        }
    }

    private static void SaveIndex(Segment segment)
    {
        try
        {
            segment.Index?.Save(segment.IndexPath);
        }
        catch (IOException)
        {
            // The index is a cache: a reader rebuilds it by scanning when it is missing.
        }
    }
}
