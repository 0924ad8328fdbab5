namespace KafkaSync.Engine.Sync.Demo;

/// <summary>What the demo copied, how compactly and how fast, and whether the copy is exact.</summary>
public sealed record DemoResult
{
    /// <summary>Records copied.</summary>
    public long Records { get; init; }

    /// <summary>Topics × partitions.</summary>
    public string Layout { get; init; } = "";

    /// <summary>Serialized record bytes the source agent read from Kafka.</summary>
    public long BytesRead { get; init; }

    /// <summary>Bytes the link sent toward the target (frames, acks excluded, handshakes included).</summary>
    public long WireBytes { get; init; }

    /// <summary><see cref="BytesRead"/> / <see cref="WireBytes"/>.</summary>
    public double CompressionRatio { get; init; }

    /// <summary>From the agents' start until the target had produced every record.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Records per second end to end.</summary>
    public double RecordsPerSecond { get; init; }

    /// <summary>Times the link was cut (and resumed).</summary>
    public int LinkCuts { get; init; }

    /// <summary>True when every target partition equals its source partition: count, order, key, value, headers, timestamp.</summary>
    public bool Identical { get; init; }

    /// <summary>The first differences found, if any.</summary>
    public IReadOnlyList<string> Differences { get; init; } = [];
}
