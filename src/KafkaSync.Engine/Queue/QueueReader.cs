namespace KafkaSync.Engine.Queue;

/// <summary>
/// Reads a <see cref="DiskQueue"/> in seq order from a starting seq, following the tail. It sees
/// only durable records, checks every record's CRC and seq, and stops with
/// <see cref="QueueCorruptException"/> at a damaged one. Payloads stay valid after later reads.
/// Not thread-safe: one reader per consuming task.
/// </summary>
public sealed class QueueReader : IDisposable
{
    private readonly DiskQueue _queue;
    private readonly int _bufferSize;
    private Segment? _segment;
    private SegmentCursor? _cursor;
    private Exception? _failure;

    internal QueueReader(DiskQueue queue, long fromSeq, int bufferSize)
    {
        _queue = queue;
        _bufferSize = bufferSize;
        NextSeq = fromSeq;
    }

    /// <summary>The seq the next successful read returns.</summary>
    public long NextSeq { get; private set; }

    /// <summary>Reads the next durable record without blocking; false when there is none yet.</summary>
    /// <exception cref="QueueCorruptException">The next record is damaged.</exception>
    public bool TryRead(out QueueRecord record) => TryRead(out record, copy: true);

    /// <summary>
    /// As <see cref="TryRead(out QueueRecord)"/>, but the payload borrows the reader's buffer and
    /// is valid only until the next read: for a stage that decodes each record at once, sparing a
    /// copy of every payload.
    /// </summary>
    /// <exception cref="QueueCorruptException">The next record is damaged.</exception>
    internal bool TryReadBorrowed(out QueueRecord record) => TryRead(out record, copy: false);

    private bool TryRead(out QueueRecord record, bool copy)
    {
        if (_failure is not null)
        {
            throw _failure;
        }

        try
        {
            // Once any reader has met damage, no reader of this queue serves past it.
            if (_queue.Corruption is { } known && NextSeq >= known.Seq)
            {
                throw known;
            }

            return TryReadCore(out record, copy);
        }
        catch (QueueCorruptException ex)
        {
            _queue.ReportCorruption(ex);
            _failure = ex;
            throw;
        }
        catch (QueueException ex)
        {
            _failure = ex;
            throw;
        }
    }

    /// <summary>
    /// Waits until a record is ready to read (true) or the queue is disposed (false). Wakes on new
    /// durable data; never polls.
    /// </summary>
    /// <exception cref="QueueException">Everything durable was read and the queue's writer failed, so no more will come.</exception>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var changed = _queue.DurableChanged;
            if (NextSeq <= _queue.DurableSeq)
            {
                return true;
            }

            if (_queue.IsDisposed)
            {
                return false;
            }

            _queue.ThrowIfFailed();

            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cursor?.Dispose();
        _cursor = null;
    }

    private bool TryReadCore(out QueueRecord record, bool copy)
    {
        record = default;
        while (true)
        {
            var durable = _queue.DurableSeq;
            if (NextSeq > durable)
            {
                return false;
            }

            if (_cursor is null)
            {
                Position();
            }

            _cursor!.Limit = _segment!.DurableLength;
            var position = _cursor.Position;
            switch (_cursor.Next(out var header, out var payload))
            {
                case ReadStatus.Record when header.Seq == NextSeq:
                    NextSeq++;
                    // Copied out of the reused read buffer: small young arrays cost far less than
                    // a fresh large buffer per refill (page faults, gen2 collections).
                    record = new QueueRecord(header.Seq, copy ? payload.ToArray() : payload);
                    return true;
                case ReadStatus.Record when header.Seq < NextSeq:
                    continue; // still skipping up to the start seq after positioning by the index
                case ReadStatus.Record:
                    throw Corrupt(position, $"seq {header.Seq} where {NextSeq} was expected");
                case ReadStatus.End:
                    if (!NextSegment())
                    {
                        // Durable records past the end of the last segment cannot exist; failing
                        // loudly beats a consumer spinning on "ready" with nothing to read.
                        throw new QueueException($"Seq {NextSeq} is durable but the reader found no segment after '{_segment!.Path}'.");
                    }

                    continue;
                default:
                    throw Corrupt(position, _cursor.Problem);
            }
        }
    }

    private QueueCorruptException Corrupt(long position, string problem) => new(_segment!.Path, position, NextSeq, problem);

    /// <summary>Finds the segment and the indexed position at or before <see cref="NextSeq"/>.</summary>
    private void Position()
    {
        var segment = _queue.SegmentFor(NextSeq) ?? throw Removed();
        Open(segment, _queue.IndexedPosition(segment, NextSeq));
    }

    /// <summary>Moves to the next segment at the end of this one; false when this is the tail.</summary>
    private bool NextSegment()
    {
        var next = _queue.SegmentAfter(_segment!);
        if (next is null)
        {
            return false;
        }

        if (next.FirstSeq != NextSeq)
        {
            if (next.FirstSeq < NextSeq || !QueueFolder.IsAcceptedGap(_queue.Gaps, NextSeq, next.FirstSeq - 1))
            {
                throw Corrupt(_cursor!.Position, $"the segment ends before seq {NextSeq} but the next segment starts at seq {next.FirstSeq}");
            }

            NextSeq = next.FirstSeq;
        }

        Open(next, 0);
        return true;
    }

    private void Open(Segment segment, long position)
    {
        // The buffer moves on to the next segment's cursor: a fresh one per segment was 1 MiB of
        // large-object garbage per 64 MiB read, which only a full collection frees.
        var buffer = _cursor?.Buffer;
        _cursor?.Dispose();
        try
        {
            _cursor = new SegmentCursor(segment.Path, position, segment.DurableLength, _bufferSize, reuseBuffer: true, buffer);
        }
        catch (FileNotFoundException)
        {
            throw Removed();
        }

        _segment = segment;
    }

    private QueueException Removed() =>
        new($"Seq {NextSeq} is no longer in the queue at '{_queue.Directory}': retention removed its segment after every cursor passed it (the oldest retained seq is {_queue.FirstSeq}).");
}
