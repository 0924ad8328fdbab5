namespace KafkaSync.Engine.Queue;

/// <summary>
/// A record before the queue's tail failed its checks (CRC, length or sequence). The queue serves
/// nothing past it until an explicit repair moves the damaged segment aside.
/// </summary>
public sealed class QueueCorruptException : QueueException
{
    /// <summary>Creates the exception for a bad record.</summary>
    /// <param name="segment">The segment file holding the bad record.</param>
    /// <param name="position">The byte position of the bad record in the segment.</param>
    /// <param name="seq">The sequence number expected at that position.</param>
    /// <param name="problem">What failed, e.g. "CRC mismatch".</param>
    public QueueCorruptException(string segment, long position, long seq, string problem)
        : base($"Queue segment '{segment}' is corrupt at byte {position} (seq {seq}): {problem}. The queue serves nothing past this point; run 'kafkasync queue repair' or Repair-KafkaSyncQueue to move the segment aside.")
    {
        Segment = segment;
        Position = position;
        Seq = seq;
        Problem = problem;
    }

    /// <summary>The segment file holding the bad record.</summary>
    public string Segment { get; }

    /// <summary>The byte position of the bad record within the segment.</summary>
    public long Position { get; }

    /// <summary>The sequence number expected at that position.</summary>
    public long Seq { get; }

    /// <summary>What failed.</summary>
    public string Problem { get; }
}
