using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Framing;

/// <summary>One frame's records, each payload byte for byte as the sender's queue held it.</summary>
/// <param name="FirstSeq">The seq of the first record; the rest follow contiguously.</param>
/// <param name="Records">The records in seq order. Their payloads share one buffer owned by this frame.</param>
/// <param name="WireBytes">The frame's size on the wire, header included.</param>
/// <param name="RawBytes">The total size of the records' payloads.</param>
public sealed record DecodedFrame(long FirstSeq, IReadOnlyList<QueueRecord> Records, int WireBytes, int RawBytes)
{
    /// <summary>The seq of the last record.</summary>
    public long LastSeq => FirstSeq + Records.Count - 1;
}
