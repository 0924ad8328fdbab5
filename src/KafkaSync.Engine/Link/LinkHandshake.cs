using System.Security.Cryptography;
using KafkaSync.Engine.Link.Messages;

namespace KafkaSync.Engine.Link;

/// <summary>
/// Mutual pre-shared-key authentication. Source sends Hello (its nonce); target answers with a
/// Challenge (its nonce); source proves the key with an HMAC over the whole transcript; target
/// verifies and proves the key back in Welcome. Both nonces enter both MACs, so a recorded
/// handshake fails when replayed against either side, and the key itself never crosses the wire.
/// The target reveals nothing keyed until the source has proven itself.
/// The source offers its protocol version in Hello; the target answers with the version the session
/// speaks (the source's, if the target knows it), so a newer target serves an older source.
/// </summary>
internal static class LinkHandshake
{
    /// <summary>This side's protocol. 2: frames may carry field columns (<see cref="Framing.FrameOptions.FieldColumns"/>).</summary>
    public const ushort Version = 2;

    /// <summary>The oldest protocol this side still speaks.</summary>
    public const ushort MinVersion = 1;

    private static ReadOnlySpan<byte> ClientLabel => "kafkasync-link client proof"u8;

    private static ReadOnlySpan<byte> ServerLabel => "kafkasync-link server proof"u8;

    /// <summary>Source side: authenticates both ways and returns the seq the target needs next and the session's protocol version.</summary>
    public static async Task<(long NextSeq, ushort Version)> RunClientAsync(LinkConnection connection, LinkKey key, Hello hello, int maxFrameBody, CancellationToken ct)
    {
        var helloBody = hello.Encode();
        await connection.SendAsync(LinkMessageType.Hello, helloBody, ct);

        var challengeBody = (await ExpectAsync(connection, LinkMessageType.Challenge, maxFrameBody, ct)).ToArray();
        var challenge = Challenge.Decode(challengeBody);
        if (challenge.Version < MinVersion || challenge.Version > hello.Version)
        {
            throw new LinkException(LinkFailure.Version, $"the target speaks link protocol version {challenge.Version}; this source speaks {MinVersion} to {hello.Version}");
        }

        var proof = key.Mac(Transcript(ClientLabel, helloBody, challengeBody, []));
        await connection.SendAsync(LinkMessageType.Proof, new Proof(proof).Encode(), ct);

        var welcome = Welcome.Decode((await ExpectAsync(connection, LinkMessageType.Welcome, maxFrameBody, ct)).Span);
        var expected = key.Mac(Transcript(ServerLabel, helloBody, challengeBody, proof));
        if (!CryptographicOperations.FixedTimeEquals(expected, welcome.Mac))
        {
            throw new LinkException(LinkFailure.Authentication, $"the target at {connection.Peer} failed to prove it holds the pre-shared key");
        }

        return (welcome.NextSeq, challenge.Version);
    }

    /// <summary>
    /// Target side, up to a verified source proof. Returns the Hello and the target's own proof, to
    /// send in a Welcome once the target accepts the session. <paramref name="version"/> is the newest
    /// protocol this target offers (tests play older targets with it).
    /// </summary>
    public static async Task<(Hello Hello, byte[] ServerProof)> RunServerAsync(LinkConnection connection, LinkKey key, CancellationToken ct, ushort version = Version)
    {
        var helloBody = (await ExpectAsync(connection, LinkMessageType.Hello, 0, ct)).ToArray();
        var hello = Hello.Decode(helloBody);
        if (hello.Version < MinVersion)
        {
            throw new LinkException(LinkFailure.Version, $"the source speaks link protocol version {hello.Version}; this target speaks {MinVersion} to {Version}");
        }

        // A newer source speaks this target's version if it can (it refuses otherwise, naming both).
        var challengeBody = new Challenge(Math.Min(hello.Version, version), RandomNumberGenerator.GetBytes(Hello.NonceLength)).Encode();
        await connection.SendAsync(LinkMessageType.Challenge, challengeBody, ct);

        var proof = Proof.Decode((await ExpectAsync(connection, LinkMessageType.Proof, 0, ct)).Span);
        var expected = key.Mac(Transcript(ClientLabel, helloBody, challengeBody, []));
        if (!CryptographicOperations.FixedTimeEquals(expected, proof.Mac))
        {
            throw new LinkException(LinkFailure.Authentication, $"source '{hello.SourceId}' at {connection.Peer} failed to prove it holds the pre-shared key (wrong key, or a replayed handshake)");
        }

        return (hello, key.Mac(Transcript(ServerLabel, helloBody, challengeBody, proof.Mac)));
    }

    private static async Task<ReadOnlyMemory<byte>> ExpectAsync(LinkConnection connection, LinkMessageType expected, int maxFrameBody, CancellationToken ct)
    {
        var (type, body) = await connection.ReceiveAsync(maxFrameBody, ct);
        if (type == LinkMessageType.Goodbye)
        {
            var goodbye = Goodbye.Decode(body.Span);
            throw new LinkException(goodbye.Failure, $"{connection.Peer} refused the connection: {goodbye.Reason}");
        }

        if (type != expected)
        {
            throw new LinkException(LinkFailure.Protocol, $"expected {expected} during the handshake, got {type}");
        }

        return body;
    }

    private static byte[] Transcript(ReadOnlySpan<byte> label, ReadOnlySpan<byte> hello, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> proof)
    {
        var buffer = new byte[label.Length + 8 + hello.Length + challenge.Length + proof.Length];
        var span = buffer.AsSpan();
        label.CopyTo(span);
        span = span[label.Length..];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(span, hello.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(span[4..], challenge.Length);
        span = span[8..];
        hello.CopyTo(span);
        challenge.CopyTo(span[hello.Length..]);
        proof.CopyTo(span[(hello.Length + challenge.Length)..]);
        return buffer;
    }
}
