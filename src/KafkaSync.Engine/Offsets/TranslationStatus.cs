namespace KafkaSync.Engine.Offsets;

/// <summary>How good a translated offset is.</summary>
public enum TranslationStatus
{
    /// <summary>Exact: resuming there neither re-reads nor skips a copied record (also for a source offset in a gap).</summary>
    Exact,

    /// <summary>
    /// The source offset lies beyond what has been copied: the translation is the end of what was
    /// copied, so nothing is skipped, but the records between (not yet copied) will be read again
    /// on the target when they arrive. Never guessed forward.
    /// </summary>
    CopyBehind,

    /// <summary>
    /// Several source partitions land in this target partition (partitionMismatch modulo or key):
    /// the earliest of their positions is taken, so nothing is skipped but records of the other
    /// source partitions may be read again.
    /// </summary>
    Mixed,

    /// <summary>The source offset is older than the first record the map knows; not translated.</summary>
    BeforeMap,

    /// <summary>The group has no committed offset on the source for (one of) the partitions; not translated.</summary>
    NoSourceOffset,
}
