namespace KafkaSync.Engine.Tsdb;

/// <summary>How each connector batches and writes points to its node.</summary>
public sealed record TsdbConnectorOptions
{
    /// <summary>What the records hold: <c>lineProtocol</c> (default) or <c>json</c> points.</summary>
    public TsdbRecordFormat Format { get; init; } = TsdbRecordFormat.LineProtocol;

    /// <summary>A batch is sent once it holds this many points (lines); default 5000.</summary>
    public int BatchPoints { get; init; } = 5000;

    /// <summary>A batch is sent once it holds this many bytes of line protocol; default 1048576 (1 MiB).</summary>
    public long BatchBytes { get; init; } = 1 << 20;

    /// <summary>A batch that is not full is sent after waiting this long (or sooner, when the topic has nothing more to give and a writer is idle); default 200ms.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Parallel HTTP writes per node; default 4.</summary>
    public int Writers { get; init; } = 4;

    /// <summary>How long a write may take before it counts as a failure; default 10s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After a failed write, the node is tried again after this long; default 5s.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// On resuming after a failure, the connector rewinds each partition to where it stood this long
    /// before the failure, because a node that crashed can lose writes it acknowledged last
    /// (VictoriaMetrics 1.79 killed by SIGKILL lost points it had acknowledged 6 s earlier).
    /// Replayed points overwrite themselves. Default 30s.
    /// </summary>
    public TimeSpan SafetyWindow { get; init; } = TimeSpan.FromSeconds(30);
}
