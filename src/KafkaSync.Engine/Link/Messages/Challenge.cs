namespace KafkaSync.Engine.Link.Messages;

/// <summary>Target → source: the target's fresh nonce, so a recorded handshake cannot be replayed.</summary>
internal sealed record Challenge(ushort Version, byte[] Nonce)
{
    public byte[] Encode() => new BodyWriter().UInt16(Version).Bytes(Nonce).ToArray();

    public static Challenge Decode(ReadOnlySpan<byte> body)
    {
        var r = new BodyReader(body, "Challenge");
        var version = r.UInt16();
        var nonce = r.Bytes(Hello.NonceLength).ToArray();
        r.End();
        return new Challenge(version, nonce);
    }
}
