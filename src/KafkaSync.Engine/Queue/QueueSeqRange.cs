namespace KafkaSync.Engine.Queue;

/// <summary>An inclusive range of sequence numbers.</summary>
/// <param name="First">The first seq of the range.</param>
/// <param name="Last">The last seq of the range.</param>
public sealed record QueueSeqRange(long First, long Last)
{
    /// <summary>How many seqs the range covers.</summary>
    public long Count => Last - First + 1;

    /// <inheritdoc />
    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";
}
