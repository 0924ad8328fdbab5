namespace KafkaSync.Engine.Queue;

/// <summary>A damaged spot found by a full check of a queue.</summary>
/// <param name="Segment">The segment file's path.</param>
/// <param name="Position">The byte position of the damage in the segment.</param>
/// <param name="Seq">The seq expected at that position.</param>
/// <param name="Problem">What failed (CRC mismatch, impossible length, missing records…).</param>
public sealed record QueueProblem(string Segment, long Position, long Seq, string Problem);
