namespace KafkaSync.Engine.Offsets;

/// <summary>One consumer group's position in one target partition, and what a sync did about it.</summary>
public sealed record ConsumerGroupOffset
{
    /// <summary>The consumer group.</summary>
    public required string Group { get; init; }

    /// <summary>The source topic feeding the target partition.</summary>
    public required string SourceTopic { get; init; }

    /// <summary>The source partition feeding it (the first one when several do).</summary>
    public int SourcePartition { get; init; }

    /// <summary>The group's committed offset on the source; null when it has none.</summary>
    public long? SourceOffset { get; init; }

    /// <summary>The target topic.</summary>
    public required string TargetTopic { get; init; }

    /// <summary>The target partition.</summary>
    public int TargetPartition { get; init; }

    /// <summary>The translated offset (where the group should resume on the target); null when not translated.</summary>
    public long? TargetOffset { get; init; }

    /// <summary>The group's committed offset on the target after the sync; null when it has none.</summary>
    public long? CommittedOffset { get; init; }

    /// <summary>The target partition's end (high watermark).</summary>
    public long? TargetEnd { get; init; }

    /// <summary>Records the group has left to read on the target from its (translated or committed) position.</summary>
    public long? Lag { get; init; }

    /// <summary>How good the translation is.</summary>
    public TranslationStatus Status { get; init; }

    /// <summary>What the sync did.</summary>
    public GroupSyncAction Action { get; init; }

    /// <summary>Why, when it is not plain.</summary>
    public string Note { get; init; } = "";

    /// <summary>When this row was computed.</summary>
    public DateTimeOffset CheckedAt { get; init; }

    /// <summary>When a sync last committed this partition's offset (carried over while unchanged); null when never.</summary>
    public DateTimeOffset? SyncedAt { get; init; }
}
