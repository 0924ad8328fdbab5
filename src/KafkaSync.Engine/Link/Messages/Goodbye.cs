namespace KafkaSync.Engine.Link.Messages;

/// <summary>Either side, last message before closing: why the connection ends, for the other side's log.</summary>
internal sealed record Goodbye(LinkFailure Failure, string Reason)
{
    public const int MaxReason = 512;

    public byte[] Encode() => new BodyWriter().UInt16((ushort)Failure).String(Reason, MaxReason).ToArray();

    public static Goodbye Decode(ReadOnlySpan<byte> body)
    {
        var r = new BodyReader(body, "Goodbye");
        var failure = (LinkFailure)r.UInt16();
        var reason = r.String(MaxReason);
        r.End();
        return new Goodbye(Enum.IsDefined(failure) ? failure : LinkFailure.Protocol, PeerText.Clean(reason, PeerText.MaxReason));
    }
}
