using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Framing;

namespace KafkaSync.Engine.Link;

/// <summary>
/// How a source queue is sent to a target. Defaults suit a WAN link; every duration and size is
/// checked by <see cref="Validate"/>, which names the field and the allowed range.
/// </summary>
public sealed record LinkSenderOptions
{
    /// <summary>The receiver's <c>host:port</c>.</summary>
    public required string Target { get; init; }

    /// <summary>Names this source to the target; a second source with another id is refused while one is connected. Default: machine name and queue path.</summary>
    public string? SourceId { get; init; }

    /// <summary>TLS settings; null sends in clear TCP (the key still authenticates both ends).</summary>
    public LinkTlsOptions? Tls { get; init; }

    /// <summary>Bytes sent but not yet acknowledged as durable, at most. Default 16 MiB; raise it to bandwidth × round-trip on long fat links.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(ByteCountJsonConverter))]
    public long WindowBytes { get; init; } = 16L << 20;

    /// <summary>
    /// How records are packed into frames: codec, starting zstd level, size and time cuts, limits.
    /// The receiver must use the same limits and dictionary. Default: the frame defaults with
    /// 1 MiB frames, whose columnar layout compresses ~3% better than 256 KiB ones (bench link).
    /// </summary>
    public FrameOptions Frames { get; init; } = new() { TargetFrameBytes = 1 << 20 };

    /// <summary>Raise the level while the link (window or bandwidth cap) is the bottleneck and lower it while compression is. Default off.</summary>
    public bool AdaptiveLevel { get; init; }

    /// <summary>Lowest level the adaptive control uses. Default 1.</summary>
    public int MinLevel { get; init; } = 1;

    /// <summary>Highest level the adaptive control uses. Default 15.</summary>
    public int MaxLevel { get; init; } = 15;

    /// <summary>Bandwidth cap in bytes per second (token bucket); 0 for none.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(ByteCountJsonConverter))]
    public long BandwidthBytesPerSecond { get; init; }

    /// <summary>Heartbeat after this much silence. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The target is considered dead after this much silence. Default 5 s.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Limit for TCP connect plus TLS plus handshake. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First reconnect delay. Default 50 ms.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Cap of the reconnect delay (exponential backoff with jitter). Default 800 ms, so the link resumes within a second of the network's return.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Source-queue cursor moved to the acknowledged seq; the queue deletes only segments every cursor has passed. Default <c>link</c>.</summary>
    public string CursorName { get; init; } = "link";

    /// <summary>Checks every field; throws <see cref="OptionsException"/> naming the first bad one.</summary>
    public void Validate()
    {
        LinkEndpoint.Parse(Target, "target");
        if (SourceId is { Length: 0 or > 200 })
        {
            throw new OptionsException("sourceId", "give 1 to 200 characters, or leave it unset for machine name and queue path.");
        }

        Tls?.Validate(serverSide: false);
        ArgumentNullException.ThrowIfNull(Frames);
        Frames.Validate();
        OptionsException.ThrowIfOutOfRange("windowBytes", WindowBytes, 64 << 10, 4L << 30, ByteSize.Format);
        OptionsException.ThrowIfOutOfRange("minLevel", MinLevel, 1, 19);
        OptionsException.ThrowIfOutOfRange("maxLevel", MaxLevel, MinLevel, 19);
        OptionsException.ThrowIfOutOfRange("bandwidthBytesPerSecond", BandwidthBytesPerSecond, 0, 100L << 30, ByteSize.Format);
        OptionsException.ThrowIfOutOfRange("heartbeatInterval", HeartbeatInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        OptionsException.ThrowIfOutOfRange("heartbeatTimeout", HeartbeatTimeout, HeartbeatInterval * 2, TimeSpan.FromMinutes(30));
        OptionsException.ThrowIfOutOfRange("connectTimeout", ConnectTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(5));
        OptionsException.ThrowIfOutOfRange("reconnectInitialDelay", ReconnectInitialDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        OptionsException.ThrowIfOutOfRange("reconnectMaxDelay", ReconnectMaxDelay, ReconnectInitialDelay, TimeSpan.FromHours(1));
        if (string.IsNullOrWhiteSpace(CursorName))
        {
            throw new OptionsException("cursorName", "give a cursor name, e.g. link.");
        }
    }
}
