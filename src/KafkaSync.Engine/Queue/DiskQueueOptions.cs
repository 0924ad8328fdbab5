using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Queue;

/// <summary>Settings of one <see cref="DiskQueue"/>; <see cref="Validate"/> checks them all in one place.</summary>
public sealed record DiskQueueOptions
{
    /// <summary>The smallest segment size accepted (small segments are for tests).</summary>
    public const long MinSegmentBytes = 4096;

    /// <summary>The largest segment size accepted.</summary>
    public const long MaxSegmentBytes = 1L << 30;

    /// <summary>The queue's folder; created when missing.</summary>
    public required string Path { get; init; }

    /// <summary>A segment file rolls over once it would grow past this size. Default 64 MiB.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(ByteCountJsonConverter))]
    public long SegmentBytes { get; init; } = 64L << 20;

    /// <summary>
    /// The most bytes the queue keeps on disk. When full, <see cref="DiskQueue.TryAppend"/> returns
    /// false and <see cref="DiskQueue.AppendAsync"/> waits until cursors pass whole segments and
    /// retention frees them. Must be at least twice <see cref="SegmentBytes"/>. Default 8 GiB.
    /// </summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(ByteCountJsonConverter))]
    public long CapacityBytes { get; init; } = 8L << 30;

    /// <summary>When appended records reach stable storage. Default <see cref="FsyncPolicy.EachCommit"/>.</summary>
    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.EachCommit;

    /// <summary>The longest time between fdatasyncs under <see cref="FsyncPolicy.Interval"/>. Default 100 ms.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Whether opening creates the queue when the folder is new or empty. False for tools that
    /// only use a queue someone else owns, so a mistyped path fails instead of becoming a new,
    /// empty queue. Default true.
    /// </summary>
    public bool Create { get; init; } = true;

    /// <summary>Throws <see cref="OptionsException"/> naming the first setting that is wrong.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new OptionsException("queue.path", "is empty; give the folder that holds (or will hold) the queue.");
        }

        OptionsException.ThrowIfOutOfRange("queue.segmentBytes", SegmentBytes, MinSegmentBytes, MaxSegmentBytes, ByteSize.Format);
        if (CapacityBytes < 2 * SegmentBytes)
        {
            throw new OptionsException("queue.capacityBytes", $"{ByteSize.Format(CapacityBytes)} is less than twice queue.segmentBytes ({ByteSize.Format(SegmentBytes)}); retention frees whole segments, so give at least {ByteSize.Format(2 * SegmentBytes)}.");
        }

        if (!Enum.IsDefined(Fsync))
        {
            throw new OptionsException("queue.fsync", $"'{Fsync}' is not a policy; use EachCommit, Interval or Never.");
        }

        if (Fsync == FsyncPolicy.Interval)
        {
            OptionsException.ThrowIfOutOfRange("queue.fsyncInterval", FsyncInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        }
    }
}
