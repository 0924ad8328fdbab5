namespace KafkaSync.Engine.Queue;

/// <summary>One segment file of a queue.</summary>
/// <param name="Name">The file name (the first seq, zero-padded).</param>
/// <param name="FirstSeq">The first seq the segment holds.</param>
/// <param name="LastSeq">The last seq it holds (FirstSeq - 1 when empty).</param>
/// <param name="Bytes">Its size on disk.</param>
public sealed record QueueSegmentInfo(string Name, long FirstSeq, long LastSeq, long Bytes);
