namespace KafkaSync.Engine.Queue;

/// <summary>
/// An append-only, segmented log on disk. Records get contiguous sequence numbers from 1; many
/// appends share one fdatasync (group commit); readers see only durable records and wake when
/// more become durable; named cursors drive retention; a capacity limit gives backpressure.
/// One writer per queue folder: a second <see cref="Open"/> fails with <see cref="QueueLockedException"/>.
/// Inspection (<see cref="Inspect"/>, <see cref="Peek"/>) works from any process while the owner runs.
/// </summary>
public sealed partial class DiskQueue : IDisposable, IAsyncDisposable
{
    private readonly DiskQueueOptions _options;
    private readonly string _directory;
    private readonly FileStream _lock;
    private readonly object _gate = new();
    private readonly List<Segment> _segments;
    private readonly CursorStore _cursors;
    private (long First, long Last)[] _gaps;
    private readonly AsyncSignal _durableSignal = new();
    private readonly AsyncSignal _spaceSignal = new();
    private long _nextSeq;
    private long _durableSeq;
    private long _retainedBytes;
    private bool _disposed;
    private Exception? _failure;
    private QueueCorruptException? _corruption;

    private DiskQueue(DiskQueueOptions options, string directory, FileStream lockFile, List<Segment> segments, CursorStore cursors, long tornBytes, List<string> notes)
    {
        _options = options;
        _directory = directory;
        _lock = lockFile;
        _segments = segments;
        _cursors = cursors;
        _gaps = [.. QueueFolder.ReadGaps(directory)];
        RecoveredTornBytes = tornBytes;
        OpenNotes = notes;
        var tail = segments[^1];
        _nextSeq = tail.LastSeq + 1;
        _durableSeq = _nextSeq - 1;
        _retainedBytes = segments.Sum(s => s.Length);
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "queue writer " + Path.GetFileName(directory) };
        _syncer = new Thread(SyncLoop) { IsBackground = true, Name = "queue syncer " + Path.GetFileName(directory) };
        _flusher.Start();
        _syncer.Start();
    }

    /// <summary>The queue's folder (full path).</summary>
    public string Directory => _directory;

    /// <summary>The options the queue was opened with.</summary>
    public DiskQueueOptions Options => _options;

    /// <summary>The seq the next append gets: 1 for a new queue; kept across restarts even when retention removed every record.</summary>
    public long NextSeq => Interlocked.Read(ref _nextSeq);

    /// <summary>The highest seq made durable by a commit; readers see records up to here.</summary>
    public long DurableSeq => Volatile.Read(ref _durableSeq);

    /// <summary>The oldest retained seq (equal to <see cref="NextSeq"/> when the queue holds no record).</summary>
    public long FirstSeq
    {
        get
        {
            lock (_gate)
            {
                return _segments[0].FirstSeq;
            }
        }
    }

    /// <summary>Bytes the queue's segments hold, including appends not yet written; compared with the capacity.</summary>
    public long RetainedBytes
    {
        get
        {
            lock (_gate)
            {
                return _retainedBytes;
            }
        }
    }

    /// <summary>Bytes of a torn last write that recovery cut from the tail when the queue was opened (0 after a clean shutdown).</summary>
    public long RecoveredTornBytes { get; }

    /// <summary>
    /// What opening the queue had to fix besides a torn write, one line each, for the owner to log
    /// as a warning: an unreadable cursor rebuilt, a cursor found past the queue's end. Empty when
    /// the queue was consistent.
    /// </summary>
    public IReadOnlyList<string> OpenNotes { get; }

    /// <summary>
    /// Seqs this queue will never serve, merged into ranges: those a repair gave up and those the
    /// feeding side declared lost (see <see cref="MarkLostAsync"/>). Readers pass over them.
    /// </summary>
    public IReadOnlyList<QueueSeqRange> LostSeqs => QueueFolder.Merge(Volatile.Read(ref _gaps));

    /// <summary>
    /// Opens the queue in <see cref="DiskQueueOptions.Path"/>, creating it when the folder is new or
    /// empty (unless <see cref="DiskQueueOptions.Create"/> is false). Recovery scans only the tail segment: a torn last write is cut back to the last whole
    /// record; damage to records that were committed is reported as <see cref="QueueCorruptException"/>.
    /// </summary>
    /// <exception cref="Configuration.OptionsException">An option is invalid.</exception>
    /// <exception cref="QueueLockedException">Another writer has the queue open.</exception>
    /// <exception cref="QueueCorruptException">The tail segment holds a damaged committed record.</exception>
    /// <exception cref="QueueException">The folder is not a queue, or cannot be used.</exception>
    public static DiskQueue Open(DiskQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var directory = options.Create ? QueueFolder.CreateOrCheck(options.Path) : QueueFolder.RequireExisting(options.Path);
        var lockFile = AcquireLock(directory);
        try
        {
            var segments = Segment.List(directory);
            var tornBytes = Recovery.RecoverSegments(directory, segments, options);
            var notes = new List<string>();
            var cursors = CursorStore.Load(directory, segments[0].FirstSeq - 1, notes);
            Recovery.BringCursorsInside(directory, segments, cursors.Snapshot(), notes);
            return new DiskQueue(options, directory, lockFile, segments, cursors, tornBytes, notes);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Opens a reader at <paramref name="fromSeq"/>; it sees only durable records.</summary>
    /// <param name="fromSeq">The first seq to read, from <see cref="FirstSeq"/> to <see cref="NextSeq"/>.</param>
    public QueueReader OpenReader(long fromSeq) => OpenReader(fromSeq, SegmentCursor.DefaultBufferSize);

    /// <summary>
    /// As <see cref="OpenReader(long)"/>, reading the files <paramref name="bufferSize"/> bytes at a
    /// time (a record larger than that is read whole): small for a reader that looks at one record.
    /// </summary>
    internal QueueReader OpenReader(long fromSeq, int bufferSize)
    {
        ThrowIfDisposed();
        var first = FirstSeq;
        var next = NextSeq;
        if (fromSeq < first || fromSeq > next)
        {
            throw new ArgumentOutOfRangeException(nameof(fromSeq), fromSeq, $"A reader can start from seq {first} (the oldest retained) to {next} (the next to be appended).");
        }

        return new QueueReader(this, fromSeq, bufferSize);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Monitor.PulseAll(_gate);
        }

        // A writer waiting for room on a full disk gives up: what it could not write was never durable.
        _closing.Cancel();

        _flusher.Join();
        _syncer.Join();
        _writeFile?.Dispose();
        _lock.Dispose();
        _durableSignal.Set();
        _spaceSignal.Set();
        _closing.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal bool IsDisposed => Volatile.Read(ref _disposed);

    /// <summary>The first damage a reader met, if any; readers serve nothing from its seq on until a repair.</summary>
    internal QueueCorruptException? Corruption => Volatile.Read(ref _corruption);

    internal void ReportCorruption(QueueCorruptException ex)
    {
        while (true)
        {
            var known = Volatile.Read(ref _corruption);
            if ((known is not null && known.Seq <= ex.Seq) || Interlocked.CompareExchange(ref _corruption, ex, known) == known)
            {
                return;
            }
        }
    }

    internal Task DurableChanged => _durableSignal.WaitTask;

    internal IReadOnlyList<(long First, long Last)> Gaps => Volatile.Read(ref _gaps);

    /// <summary>The segment holding <paramref name="seq"/>, or null when retention removed it.</summary>
    internal Segment? SegmentFor(long seq)
    {
        lock (_gate)
        {
            var index = Segment.Find(_segments, seq);
            return index < 0 ? null : _segments[index];
        }
    }

    /// <summary>The segment after <paramref name="segment"/>, or null when it is the tail.</summary>
    internal Segment? SegmentAfter(Segment segment)
    {
        lock (_gate)
        {
            // Retention may already have removed the reader's own segment: then the next one is the oldest left.
            var index = Segment.Find(_segments, segment.FirstSeq);
            return index + 1 >= _segments.Count ? null : _segments[index + 1];
        }
    }

    /// <summary>The byte position of an indexed record at or before <paramref name="seq"/> in <paramref name="segment"/>.</summary>
    internal long IndexedPosition(Segment segment, long seq)
    {
        lock (_gate)
        {
            if (segment.Index is not null)
            {
                return segment.Index.Floor(seq).Position;
            }
        }

        var index = SparseIndex.TryLoad(segment.IndexPath, segment.DurableLength) ?? SparseIndex.Rebuild(segment.Path, segment.DurableLength);
        lock (_gate)
        {
            segment.Index ??= index;
            return segment.Index.Floor(seq).Position;
        }
    }

    internal void ThrowIfFailed()
    {
        var failure = Volatile.Read(ref _failure);
        if (failure is not null)
        {
            // A full disk is an operator's fault to fix, not a bug: say what to do.
            var fix = failure is IOException && (failure.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || failure.Message.Contains("disk was full", StringComparison.OrdinalIgnoreCase))
                ? $" The disk holding '{_directory}' is full: free space on it (or lower queue.capacityBytes below the space it has) and start the agent again; every committed record is kept."
                : "";
            throw new QueueException($"The queue's writer failed and accepts no more appends: {failure.Message}.{fix}", failure);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    private static FileStream AcquireLock(string directory)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) that other processes, and
            // other handles in this process, see; inspection never opens this file.
            var file = new FileStream(Path.Combine(directory, QueueFolder.LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            file.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId + "\n"));
            file.Flush();
            return file;
        }
        catch (IOException ex)
        {
            throw new QueueLockedException(directory, ex);
        }
    }
}
