namespace KafkaSync.Engine.Offsets;

/// <summary>Where a group should resume in one target partition, given its committed source offsets.</summary>
/// <param name="TargetTopic">The target topic.</param>
/// <param name="TargetPartition">The target partition.</param>
/// <param name="TargetOffset">The offset to commit on the target (the next record to read); null when not translated.</param>
/// <param name="Status">How good the translation is.</param>
/// <param name="SourceTopic">The source topic that feeds this target partition.</param>
/// <param name="SourcePartition">The (first) source partition that feeds it.</param>
/// <param name="SourceOffset">The group's committed offset on that source partition; null when it has none.</param>
/// <param name="NotCopied">Source offsets the group has consumed that are not copied yet (with <see cref="TranslationStatus.CopyBehind"/>); gaps count too.</param>
/// <param name="Note">Why the status is not exact, in words.</param>
public sealed record PartitionTranslation(
    string TargetTopic, int TargetPartition, long? TargetOffset, TranslationStatus Status,
    string SourceTopic, int SourcePartition, long? SourceOffset, long NotCopied, string Note);
