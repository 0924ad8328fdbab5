namespace KafkaSync.Engine.Link.Messages;

/// <summary>
/// Target → source after a valid proof: the target's own proof of the key, and the seq it needs
/// next (one past its last durable record), where the source resumes.
/// </summary>
internal sealed record Welcome(byte[] Mac, long NextSeq)
{
    public byte[] Encode() => new BodyWriter().Bytes(Mac).Int64(NextSeq).ToArray();

    public static Welcome Decode(ReadOnlySpan<byte> body)
    {
        var r = new BodyReader(body, "Welcome");
        var mac = r.Bytes(Proof.MacLength).ToArray();
        var next = r.Int64();
        r.End();
        return new Welcome(mac, next);
    }
}
