using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// A range of seqs the agent's queue will never deliver (a repair gave them up, or the source
/// declared them lost over the link), with the source offsets they held where the records around
/// the range tell.
/// </summary>
public sealed record LostSeqRange
{
    /// <summary>The first lost seq.</summary>
    public required long First { get; init; }

    /// <summary>The last lost seq.</summary>
    public required long Last { get; init; }

    /// <summary>How many seqs the range covers.</summary>
    public long Count => Last - First + 1;

    /// <summary>
    /// Per source partition, the offsets that fell into the range. A partition whose records
    /// around the range are gone too (retention, or the range is at an end of the queue) is not listed.
    /// </summary>
    public IReadOnlyList<LostOffsets> Offsets { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => new QueueSeqRange(First, Last).ToString();
}
