namespace KafkaSync.Engine.Queue;

/// <summary>Appending: records are framed into the write buffer under a short lock; the flusher does the I/O.</summary>
public sealed partial class DiskQueue
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// The write buffer: appends beyond it wait for the flusher. Ample for any disk (the flusher
    /// writes it in a few tens of milliseconds), and every chunk of it is reused
    /// (<see cref="MaxSpareChunks"/>): chunks are large-object-heap arrays, and dropping them
    /// made a fast consumer's heap grow to several times this size between full collections.
    /// </summary>
    private const long MaxPendingBytes = 16L << 20;
    private const int MaxSpareChunks = (int)(MaxPendingBytes / ChunkBytes);

    private List<Chunk> _pending = [];
    private readonly Stack<Chunk> _spareChunks = new();
    private long _pendingBytes;

    /// <summary>
    /// Appends one record without waiting. Returns false when the queue is at its capacity, or its
    /// write buffer is full; <see cref="AppendAsync"/> waits instead.
    /// </summary>
    /// <exception cref="ArgumentException">The payload is larger than a segment can hold.</exception>
    public bool TryAppend(ReadOnlySpan<byte> payload, out long seq)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            return TryAppendLocked(payload, now, out seq);
        }
    }

    /// <summary>
    /// True when a record of <paramref name="payloadBytes"/> fits within the queue's capacity now.
    /// After a failed <see cref="TryAppend"/> it tells a full queue (its reader must free room)
    /// from a full write buffer (the flusher frees it as fast as the disk writes).
    /// </summary>
    public bool HasRoomFor(int payloadBytes)
    {
        lock (_gate)
        {
            return _retainedBytes + RecordFormat.FrameSize(payloadBytes) <= _options.CapacityBytes;
        }
    }

    /// <summary>Appends one record, waiting while the queue is full. Returns its seq; cancelling the wait appends nothing.</summary>
    public async ValueTask<long> AppendAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        while (true)
        {
            var space = _spaceSignal.WaitTask;
            if (TryAppend(payload.Span, out var seq))
            {
                return seq;
            }

            ThrowIfDisposed();
            await space.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Appends records in order, waiting for space as needed, and returns the seq of the last one.
    /// If cancelled while waiting, the records before the wait stay appended (their seqs are
    /// contiguous) and the rest are not.
    /// </summary>
    public async ValueTask<long> AppendBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var done = 0;
        var last = NextSeq - 1;
        while (done < payloads.Count)
        {
            var space = _spaceSignal.WaitTask;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            lock (_gate)
            {
                while (done < payloads.Count && TryAppendLocked(payloads[done].Span, now, out last))
                {
                    done++;
                }
            }

            if (done < payloads.Count)
            {
                ThrowIfDisposed();
                await space.WaitAsync(ct).ConfigureAwait(false);
            }
        }

        return last;
    }

    /// <summary>
    /// Lets a queue that holds no record start numbering at <paramref name="nextSeq"/>, so that a
    /// fresh target queue can use the source's seqs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The queue holds records.</exception>
    public void AdvanceEmptyTo(long nextSeq)
    {
        ThrowIfDisposed();
        lock (_gate)
        {
            if (nextSeq < _nextSeq)
            {
                throw new ArgumentOutOfRangeException(nameof(nextSeq), nextSeq, $"The queue's next seq is already {_nextSeq}; seqs never go back.");
            }

            if (_segments.Count != 1 || _segments[0].Length != 0 || _pending.Count != 0)
            {
                throw new InvalidOperationException($"AdvanceEmptyTo needs a queue that holds no record; this one holds seqs {_segments[0].FirstSeq} to {_nextSeq - 1}.");
            }

            if (nextSeq == _nextSeq)
            {
                return;
            }

            var old = _segments[0];
            var fresh = new Segment(_directory, nextSeq) { Index = new SparseIndex() };
            using (File.Open(fresh.Path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
            }

            NativeSync.SyncDirectory(_directory);
            File.Delete(old.Path);
            NativeSync.SyncDirectory(_directory);
            _segments[0] = fresh;
            _nextSeq = nextSeq;
            Volatile.Write(ref _durableSeq, nextSeq - 1);
        }

        _durableSignal.Set();
    }

    /// <summary>
    /// Records that seqs <paramref name="first"/> to <paramref name="last"/> will never be appended
    /// (the feeding queue lost them and declared so), and moves the numbering on to
    /// <paramref name="last"/> + 1. Everything appended before is made durable first; the gap is
    /// durable before any record after it can be appended, and readers pass over it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="first"/> is not <see cref="NextSeq"/>, or <paramref name="last"/> is below it.</exception>
    public async ValueTask MarkLostAsync(long first, long last, CancellationToken ct)
    {
        ThrowIfDisposed();
        if (first != NextSeq || last < first)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"A lost range must start at the queue's next seq ({NextSeq}) and end at or after it; got {first} to {last}.");
        }

        await CommitAsync(ct).ConfigureAwait(false);
        lock (_gate)
        {
            ThrowIfFailed();
            if (first != _nextSeq || _pending.Count != 0)
            {
                throw new InvalidOperationException($"Another append moved the queue's next seq to {_nextSeq} while seqs {first} to {last} were being marked lost; one writer only.");
            }

            QueueFolder.AppendGap(_directory, first, last);
            var fresh = new Segment(_directory, last + 1) { Index = new SparseIndex() };
            using (File.Open(fresh.Path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
            }

            NativeSync.SyncDirectory(_directory);
            Volatile.Write(ref _gaps, [.. _gaps, (first, last)]);
            _segments.Add(fresh);
            _nextSeq = last + 1;
            Volatile.Write(ref _durableSeq, last);
        }

        _durableSignal.Set();
    }

    private bool TryAppendLocked(ReadOnlySpan<byte> payload, long nowMs, out long seq)
    {
        ThrowIfDisposed();
        ThrowIfFailed();
        var frame = RecordFormat.FrameSize(payload.Length);
        if (frame > _options.SegmentBytes)
        {
            throw new ArgumentException($"A record of {payload.Length} bytes does not fit in a segment of {_options.SegmentBytes} bytes (each record also takes a {RecordFormat.HeaderSize}-byte header); raise queue.segmentBytes.", nameof(payload));
        }

        if (_retainedBytes + frame > _options.CapacityBytes || (_pendingBytes > 0 && _pendingBytes + frame > MaxPendingBytes))
        {
            seq = 0;
            return false;
        }

        var tail = _segments[^1];
        if (tail.Length > 0 && tail.Length + frame > _options.SegmentBytes)
        {
            tail = new Segment(_directory, _nextSeq) { Index = new SparseIndex() };
            _segments.Add(tail);
        }

        var chunk = _pending.Count > 0 ? _pending[^1] : null;
        if (chunk is null || chunk.Segment != tail || chunk.Length + frame > chunk.Buffer.Length)
        {
            chunk = RentChunk(tail, frame);
            _pending.Add(chunk);
            if (_pending.Count == 1)
            {
                Monitor.Pulse(_gate);
            }
        }

        seq = _nextSeq++;
        RecordFormat.Write(chunk.Buffer.AsSpan(chunk.Length, frame), seq, nowMs, _durableSeq, payload);
        tail.Index ??= new SparseIndex();
        tail.Index.Note(seq, tail.Length);
        chunk.Length += frame;
        chunk.LastSeq = seq;
        tail.Length += frame;
        tail.LastSeq = seq;
        _retainedBytes += frame;
        _pendingBytes += frame;
        return true;
    }

    private Chunk RentChunk(Segment segment, int frame)
    {
        var buffer = frame <= ChunkBytes && _spareChunks.Count > 0 ? _spareChunks.Pop().Buffer : new byte[Math.Max(ChunkBytes, frame)];
        return new Chunk(segment, buffer, segment.Length);
    }

    /// <summary>Framed records waiting for the flusher, all for one segment, starting at <see cref="SegmentOffset"/>.</summary>
    private sealed class Chunk(Segment segment, byte[] buffer, long segmentOffset)
    {
        public Segment Segment { get; } = segment;

        public byte[] Buffer { get; } = buffer;

        public long SegmentOffset { get; } = segmentOffset;

        public int Length { get; set; }

        public long LastSeq { get; set; }
    }
}
