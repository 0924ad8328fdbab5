namespace KafkaSync.Engine.Tsdb;

/// <summary>One node as the monitor sees it: state, progress and load. Served as JSON on <c>/nodes</c>.</summary>
public sealed record TsdbNodeStatus
{
    /// <summary>The node's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The node's base URL.</summary>
    public string Url { get; init; } = "";

    /// <summary>Available, Unavailable or CatchingUp.</summary>
    public TsdbNodeState State { get; init; }

    /// <summary>When the node entered <see cref="State"/>.</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>The node's configured weight.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>The connector's consumer group.</summary>
    public string ConsumerGroup { get; init; } = "";

    /// <summary>The committed offset (next record to write) per partition.</summary>
    public IReadOnlyDictionary<int, long> Offsets { get; init; } = new Dictionary<int, long>();

    /// <summary>When the connector last committed newly written offsets (its last progress), or null before the first.</summary>
    public DateTimeOffset? LastCommitAt { get; init; }

    /// <summary>Records in the topic not yet written to this node (sum over partitions of end offset minus committed offset).</summary>
    public long Lag { get; init; }

    /// <summary>Connector writes to the node in flight now.</summary>
    public int Writers { get; init; }

    /// <summary>Queries proxied to the node in flight now (by the balancer in the cluster service).</summary>
    public int Readers { get; init; }

    /// <summary>The node's load pressure: (writeWeight × writers + readWeight × readers) / weight.</summary>
    public double Pressure { get; init; }

    /// <summary>Points the node has accepted since the service started.</summary>
    public long PointsWritten { get; init; }

    /// <summary>Records sent to the dead letters from this node's connector since the service started.</summary>
    public long DeadLetters { get; init; }

    /// <summary>The last failure, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>
    /// Null, or which records the node lost (it came back empty or from an old backup) that the
    /// topic no longer holds, so that no refill can bring them back.
    /// </summary>
    public string? DataLoss { get; init; }

    /// <summary>How many records <see cref="DataLoss"/> counts; 0 when the node misses nothing the topic ever held.</summary>
    public long LostRecords { get; init; }

    /// <summary>One line for people: where a host prints the status as text (a summary after Ctrl+C).</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"node '{Name}' {State}: lag {Lag:N0}, points written {PointsWritten:N0}, dead letters {DeadLetters:N0}, last error {LastError ?? "none"}");
}
