namespace KafkaSync.Engine.Link.Messages;

/// <summary>Source → target: HMAC over the handshake transcript, proving the source holds the key.</summary>
internal sealed record Proof(byte[] Mac)
{
    public const int MacLength = 32;

    public byte[] Encode() => Mac.ToArray();

    public static Proof Decode(ReadOnlySpan<byte> body)
    {
        var r = new BodyReader(body, "Proof");
        var mac = r.Bytes(MacLength).ToArray();
        r.End();
        return new Proof(mac);
    }
}
