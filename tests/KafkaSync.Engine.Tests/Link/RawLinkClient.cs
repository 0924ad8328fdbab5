using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Link.Messages;

namespace KafkaSync.Engine.Tests.Link;

/// <summary>A hand-driven client for bad-input tests: it can authenticate properly and then misbehave, or misbehave from the first byte.</summary>
internal sealed class RawLinkClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawLinkClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        Connection = new LinkConnection(socket, _stream, "test-peer");
    }

    public LinkConnection Connection { get; }

    public static async Task<RawLinkClient> ConnectAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint, ct);
        return new RawLinkClient(socket);
    }

    public static Hello NewHello(string sourceId = "raw-client", ushort version = LinkHandshake.Version) =>
        new(version, RandomNumberGenerator.GetBytes(Hello.NonceLength), sourceId, DateTime.UtcNow.Ticks, 1, 1);

    /// <summary>Completes a genuine handshake; returns the seq the target needs next.</summary>
    public async Task<long> AuthenticateAsync(LinkKey key, CancellationToken ct, string sourceId = "raw-client") =>
        (await LinkHandshake.RunClientAsync(Connection, key, NewHello(sourceId), 0, ct)).NextSeq;

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct) =>
        await _stream.WriteAsync(bytes, ct);

    public static byte[] Envelope(LinkMessageType type, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[LinkEnvelope.HeaderLength + body.Length];
        LinkEnvelope.WriteHeader(bytes, type, body.Length);
        body.CopyTo(bytes.AsSpan(LinkEnvelope.HeaderLength));
        return bytes;
    }

    /// <summary>Reads until the target closes; returns the Goodbye reason it sent, if any.</summary>
    public async Task<string?> ReadUntilClosedAsync(CancellationToken ct)
    {
        string? reason = null;
        try
        {
            while (true)
            {
                var (type, body) = await Connection.ReceiveAsync(1 << 20, ct);
                if (type == LinkMessageType.Goodbye)
                {
                    reason = Goodbye.Decode(body.Span).Reason;
                }
            }
        }
        catch (LinkException)
        {
            return reason;
        }
    }

    /// <summary>A Frame envelope whose header declares <paramref name="length"/> body bytes but carries none.</summary>
    public static byte[] OversizedFrameHeader(int length)
    {
        var bytes = new byte[LinkEnvelope.HeaderLength];
        bytes[0] = (byte)LinkMessageType.Frame;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), length);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        _socket.Dispose();
    }
}
