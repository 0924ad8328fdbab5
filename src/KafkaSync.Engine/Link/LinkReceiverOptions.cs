using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Framing;

namespace KafkaSync.Engine.Link;

/// <summary>How a target listens for its source. Every field is checked by <see cref="Validate"/>.</summary>
public sealed record LinkReceiverOptions
{
    /// <summary>Address and port to listen on, <c>host:port</c>; port 0 picks a free one (see <see cref="LinkReceiver.LocalEndpoint"/>).</summary>
    public required string Listen { get; init; }

    /// <summary>TLS settings; null accepts clear TCP (the key still authenticates both ends).</summary>
    public LinkTlsOptions? Tls { get; init; }

    /// <summary>Heartbeat after this much silence. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A source is considered dead after this much silence. Default 5 s.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A connection must finish TLS and the handshake within this. Default 5 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Frame limits and dictionary; they must match the sender's.</summary>
    public FrameOptions Frames { get; init; } = new();

    /// <summary>Connections being handshaken at once, at most; more are closed at once. Default 64.</summary>
    public int MaxPendingConnections { get; init; } = 64;

    /// <summary>Checks every field; throws <see cref="OptionsException"/> naming the first bad one.</summary>
    public void Validate()
    {
        LinkEndpoint.Parse(Listen, "listen");
        Tls?.Validate(serverSide: true);
        OptionsException.ThrowIfOutOfRange("heartbeatInterval", HeartbeatInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        OptionsException.ThrowIfOutOfRange("heartbeatTimeout", HeartbeatTimeout, HeartbeatInterval * 2, TimeSpan.FromMinutes(30));
        OptionsException.ThrowIfOutOfRange("handshakeTimeout", HandshakeTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(5));
        ArgumentNullException.ThrowIfNull(Frames);
        Frames.Validate();
        OptionsException.ThrowIfOutOfRange("maxPendingConnections", MaxPendingConnections, 1, 10_000);
    }
}
