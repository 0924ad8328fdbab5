namespace KafkaSync.Engine.Queue;

/// <summary>What an operator needs to see about a queue; read from its files, also while the owner runs.</summary>
public sealed record QueueInfo
{
    /// <summary>The queue's folder.</summary>
    public required string Path { get; init; }

    /// <summary>The oldest retained seq (equal to <see cref="NextSeq"/> when the queue holds no record).</summary>
    public required long FirstSeq { get; init; }

    /// <summary>The newest whole record's seq (FirstSeq - 1 when empty).</summary>
    public required long LastSeq { get; init; }

    /// <summary>The seq the next append gets.</summary>
    public long NextSeq => LastSeq + 1;

    /// <summary>Records retained on disk (seqs recorded as lost or found missing are not counted).</summary>
    public long Records => Math.Max(0, LastSeq - FirstSeq + 1
        - LostSeqs.Concat(MissingSeqs).Sum(r => Math.Max(0, Math.Min(r.Last, LastSeq) - Math.Max(r.First, FirstSeq) + 1)));

    /// <summary>Each named cursor with its lag.</summary>
    public required IReadOnlyList<QueueCursorInfo> Cursors { get; init; }

    /// <summary>Records after the slowest cursor (all records when there is no cursor).</summary>
    public required long PendingRecords { get; init; }

    /// <summary>On-disk bytes of the pending records.</summary>
    public required long PendingBytes { get; init; }

    /// <summary>When the oldest pending record was appended; null when nothing is pending.</summary>
    public DateTimeOffset? OldestPendingTime { get; init; }

    /// <summary>How long the oldest pending record has waited; null when nothing is pending.</summary>
    public TimeSpan? OldestPendingAge { get; init; }

    /// <summary>The segment files, oldest first.</summary>
    public required IReadOnlyList<QueueSegmentInfo> Segments { get; init; }

    /// <summary>Bytes of every file in the queue folder (segments, indexes, cursors, quarantine).</summary>
    public required long SizeOnDisk { get; init; }

    /// <summary>What the check of the tail segment found.</summary>
    public required QueueHealth Health { get; init; }

    /// <summary>Details when <see cref="Health"/> is not <see cref="QueueHealth.Healthy"/>; empty otherwise.</summary>
    public string HealthDetail { get; init; } = "";

    /// <summary>Seqs recorded as lost (by a repair, or declared by the feeding side), which readers pass over.</summary>
    public IReadOnlyList<QueueSeqRange> LostSeqs { get; init; } = [];

    /// <summary>Seqs no segment holds and no repair accepted (a segment file is gone): <see cref="Health"/> is then <see cref="QueueHealth.Corrupt"/>.</summary>
    public IReadOnlyList<QueueSeqRange> MissingSeqs { get; init; } = [];

    /// <summary>Cursors the owner will have to fix when it opens the queue: unreadable files, cursors past the last record.</summary>
    public IReadOnlyList<string> CursorProblems { get; init; } = [];
}
