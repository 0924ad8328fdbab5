namespace KafkaSync.Engine.Offsets;

/// <summary>
/// A run of source records whose offsets are contiguous in the source partition and whose copies
/// are contiguous in one target partition: source offset <c>SourceFirst + i</c> was copied to
/// target offset <c>TargetFirst + i</c>, for i from 0 to <see cref="Count"/> - 1. A gap in the
/// source (compaction, transaction markers) or in the target (markers of our own transactions)
/// starts a new range.
/// </summary>
/// <param name="SourceTopic">The source topic.</param>
/// <param name="SourcePartition">The source partition.</param>
/// <param name="SourceFirst">The first source offset of the run.</param>
/// <param name="SourceLast">The last source offset of the run (inclusive).</param>
/// <param name="TargetTopic">The target topic (after renaming).</param>
/// <param name="TargetPartition">The target partition the run landed in.</param>
/// <param name="TargetFirst">The target offset of <paramref name="SourceFirst"/>.</param>
public readonly record struct OffsetRange(
    string SourceTopic, int SourcePartition, long SourceFirst, long SourceLast,
    string TargetTopic, int TargetPartition, long TargetFirst)
{
    /// <summary>The number of records in the run.</summary>
    public long Count => SourceLast - SourceFirst + 1;

    /// <summary>The target offset of <see cref="SourceLast"/>.</summary>
    public long TargetLast => TargetFirst + SourceLast - SourceFirst;

    internal bool SameTarget(string topic, int partition) => TargetPartition == partition && string.Equals(TargetTopic, topic, StringComparison.Ordinal);
}
