namespace KafkaSync.Engine.Sync;

/// <summary>
/// The source offsets of one partition that fell into a lost seq range: the records between the
/// last one the queue still holds before the range and the first one it holds after it.
/// </summary>
/// <param name="Topic">The source topic.</param>
/// <param name="Partition">The source partition.</param>
/// <param name="FromOffset">The first lost offset.</param>
/// <param name="ToOffset">The last lost offset.</param>
/// <param name="RefetchCommand">
/// A command that reads exactly these records from the source cluster again, while it still
/// retains them (empty where the agent does not know the source cluster, as on the target).
/// </param>
public sealed record LostOffsets(string Topic, int Partition, long FromOffset, long ToOffset, string RefetchCommand)
{
    /// <summary>How many offsets the range covers.</summary>
    public long Count => ToOffset - FromOffset + 1;
}
