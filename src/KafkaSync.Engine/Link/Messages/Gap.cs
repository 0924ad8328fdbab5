namespace KafkaSync.Engine.Link.Messages;

/// <summary>
/// Source → target, in stream order between frames: seqs <see cref="First"/> to <see cref="Last"/>
/// are recorded as lost in the source queue (a repair gave them up) and will never be sent. The
/// target accepts it only where its queue's next seq is <see cref="First"/>.
/// </summary>
internal sealed record Gap(long First, long Last)
{
    public byte[] Encode() => new BodyWriter().Int64(First).Int64(Last).ToArray();

    public static Gap Decode(ReadOnlySpan<byte> body)
    {
        var r = new BodyReader(body, "Gap");
        var first = r.Int64();
        var last = r.Int64();
        r.End();
        return new Gap(first, last);
    }
}
