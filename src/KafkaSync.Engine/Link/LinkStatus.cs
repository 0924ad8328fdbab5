namespace KafkaSync.Engine.Link;

/// <summary>A snapshot of one side of a link, for agents, cmdlets and the CLI to show.</summary>
public sealed record LinkStatus
{
    /// <summary>Connection state.</summary>
    public LinkState State { get; init; }

    /// <summary>The peer's address, when connected.</summary>
    public string? Peer { get; init; }

    /// <summary>Payload bytes of the records moved (before compression).</summary>
    public long RawBytes { get; init; }

    /// <summary>Bytes sent (source) or received (target) on the wire, all messages, over all connections.</summary>
    public long WireBytes { get; init; }

    /// <summary>Records moved: sent (source) or appended (target).</summary>
    public long Records { get; init; }

    /// <summary>Frames moved.</summary>
    public long Frames { get; init; }

    /// <summary>Raw payload bytes per wire byte (higher is better); 0 before any data.</summary>
    public double CompressionRatio => WireBytes == 0 ? 0 : (double)RawBytes / WireBytes;

    /// <summary>Highest seq the target has made durable and acknowledged.</summary>
    public long AckedSeq { get; init; }

    /// <summary>Source: the zstd level in use.</summary>
    public int Level { get; init; }

    /// <summary>Seqs passed over as lost (declared by the source, accepted by the target) since start.</summary>
    public long LostSeqCount { get; init; }

    /// <summary>Connections established so far.</summary>
    public int Connections { get; init; }

    /// <summary>Connections that failed or were refused so far (source: failed sessions and attempts; target: connections closed for a failure).</summary>
    public int Failures { get; init; }

    /// <summary>The last failure, with its reason, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>One line for people: where a host prints the status as text (a summary after Ctrl+C).</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"link {State}{(Peer is null ? "" : " " + Peer)}: {Records:N0} records, {RawBytes:N0} bytes raw, ratio {CompressionRatio:0.00}, acked seq {AckedSeq}, last error {LastError ?? "none"}");
}
