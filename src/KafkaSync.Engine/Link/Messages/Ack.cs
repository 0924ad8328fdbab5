namespace KafkaSync.Engine.Link.Messages;

/// <summary>Target → source: every seq up to <see cref="DurableSeq"/> is durable in the target queue.</summary>
internal sealed record Ack(long DurableSeq)
{
    public byte[] Encode() => new BodyWriter().Int64(DurableSeq).ToArray();

    public static Ack Decode(ReadOnlySpan<byte> body)
    {
        var r = new BodyReader(body, "Ack");
        var seq = r.Int64();
        r.End();
        return new Ack(seq);
    }
}
