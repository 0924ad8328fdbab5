using Microsoft.Win32.SafeHandles;

namespace KafkaSync.Engine.Queue;

/// <summary>
/// The write side of group commit: a background writer moves whatever appenders framed into the
/// segment files, and hands each written point to the syncer (DiskQueue.Sync.cs), which makes it
/// durable. Writing the next group while the previous one syncs keeps the disk busy; appenders
/// never wait for a sync.
/// </summary>
public sealed partial class DiskQueue
{
    private readonly Thread _flusher;
    private SafeFileHandle? _writeFile;
    private Segment? _writeSegment;

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
        try
        {
            while (true)
            {
                List<Chunk> batch;
                lock (_gate)
                {
                    while (_pending.Count == 0 && !_disposed)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_pending.Count == 0)
                    {
                        break;
                    }

                    batch = _pending;
                    _pending = [];
                }

                long written = 0;
                var next = 0;
                // On a full disk the batch stays here and the failed chunk is written again, at
                // the same position: bytes a partial write left are overwritten with themselves.
                RetryWhileDiskFull("writing records", () =>
                {
                    for (; next < batch.Count; next++)
                    {
                        var chunk = batch[next];
                        EnsureRoom(chunk);
                        SwitchTo(chunk.Segment);
                        RandomAccess.Write(_writeFile!, chunk.Buffer.AsSpan(0, chunk.Length), chunk.SegmentOffset);
                        written += chunk.Length;
                    }
                });

                var last = batch[^1];
                HandToSyncer(new WrittenPoint(last.LastSeq, last.Segment, last.SegmentOffset + last.Length, _writeFile!));
                lock (_gate)
                {
                    foreach (var chunk in batch)
                    {
                        if (chunk.Buffer.Length == ChunkBytes && _spareChunks.Count < MaxSpareChunks)
                        {
                            _spareChunks.Push(chunk);
                        }
                    }

                    _pendingBytes -= written;
                }

                _spaceSignal.Set();
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
        finally
        {
            lock (_syncGate)
            {
                _writerDone = true;
                Monitor.PulseAll(_syncGate);
            }
        }
    }

    /// <summary>Makes <paramref name="segment"/> the file being written, sealing the previous one first.</summary>
    private void SwitchTo(Segment segment)
    {
        if (_writeSegment == segment && _writeFile is not null)
        {
            return;
        }

        if (_writeFile is not null)
        {
            // The previous segment must be durable before any record of the next one is: recovery
            // only ever scans the tail.
            if (_options.Fsync != FsyncPolicy.Never)
            {
                DataSync(_writeFile, _writeSegment!.Path);
            }

            lock (_gate)
            {
                _writeSegment!.DurableLength = Math.Max(_writeSegment.DurableLength, _writeSegment.Length);
            }

            lock (_syncGate)
            {
                // The syncer may hold a reference; the file closes when it lets go.
                _writeFile.Dispose();
            }

            // Sealed: if opening the next segment fails (a full disk), the retry starts here.
            _writeFile = null;
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

    private void Fail(Exception ex)
    {
        Interlocked.CompareExchange(ref _failure, ex, null);
        _durableSignal.Set();
        _spaceSignal.Set();
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
