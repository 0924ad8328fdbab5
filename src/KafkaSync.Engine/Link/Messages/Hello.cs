namespace KafkaSync.Engine.Link.Messages;

/// <summary>
/// Source → target, first message. <see cref="Generation"/> grows with every connection attempt of
/// a sender, so a target can tell a late, stale attempt from a genuine reconnect.
/// </summary>
internal sealed record Hello(ushort Version, byte[] Nonce, string SourceId, long Generation, long SourceFirstSeq, long SourceNextSeq)
{
    public static ReadOnlySpan<byte> Magic => "KSLK"u8;

    public const int NonceLength = 32;
    public const int MaxSourceId = 256;

    public byte[] Encode() => new BodyWriter()
        .Bytes(Magic).UInt16(Version).Bytes(Nonce).Int64(Generation).Int64(SourceFirstSeq).Int64(SourceNextSeq)
        .String(SourceId, MaxSourceId).ToArray();

    public static Hello Decode(ReadOnlySpan<byte> body)
    {
        var r = new BodyReader(body, "Hello");
        if (!r.Bytes(4).SequenceEqual(Magic))
        {
            throw new LinkException(LinkFailure.Protocol, "the peer does not speak the KafkaSync link protocol (bad magic in Hello)");
        }

        var version = r.UInt16();
        var nonce = r.Bytes(NonceLength).ToArray();
        var generation = r.Int64();
        var first = r.Int64();
        var next = r.Int64();
        var id = r.String(MaxSourceId);
        r.End();

        // Logged and shown in status, and sent before authentication: escaped here, once.
        return new Hello(version, nonce, PeerText.Clean(id, PeerText.MaxSourceId), generation, first, next);
    }
}
