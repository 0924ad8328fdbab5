namespace KafkaSync.Engine.Sync;

/// <summary>
/// A snapshot of one agent, kept current in <c>status.json</c> beside its queue (see
/// <see cref="AgentStatusFile"/>) so that <c>Get-KafkaSyncStatus</c> and <c>kafkasync status</c>
/// can read it from another process. Also the summary an agent returns when it stops.
/// </summary>
public sealed record AgentStatus
{
    /// <summary>"source" or "target".</summary>
    public required string Role { get; init; }

    /// <summary>The agent's name (its id in checkpoints and transactions).</summary>
    public required string Name { get; init; }

    /// <summary>The agent's state.</summary>
    public AgentState State { get; init; }

    /// <summary>The link's state, e.g. "connected", "connecting", "listening", or "none" before the link starts.</summary>
    public string LinkState { get; init; } = "none";

    /// <summary>The queue's folder.</summary>
    public string QueuePath { get; init; } = "";

    /// <summary>Oldest seq still in the queue.</summary>
    public long FirstSeq { get; init; }

    /// <summary>The seq the next appended record gets.</summary>
    public long NextSeq { get; init; }

    /// <summary>Source: highest seq the target acknowledged. Target: highest seq delivered to Kafka.</summary>
    public long DoneSeq { get; init; }

    /// <summary>Records in the queue not yet done (acknowledged or produced).</summary>
    public long LagRecords { get; init; }

    /// <summary>Age in seconds of the oldest record not yet done (by its Kafka timestamp), 0 when none.</summary>
    public double LagSeconds { get; init; }

    /// <summary>Records taken in (consumed or received) since the agent started.</summary>
    public long RecordsIn { get; init; }

    /// <summary>Records passed on since the agent started: sent over the link (source) or produced (target).</summary>
    public long RecordsOut { get; init; }

    /// <summary>Records passed on per second, averaged over the last few seconds.</summary>
    public double RecordsPerSecond { get; init; }

    /// <summary>Serialized record bytes taken in since start.</summary>
    public long BytesIn { get; init; }

    /// <summary>Bytes sent or received on the link since start.</summary>
    public long WireBytes { get; init; }

    /// <summary>Record bytes divided by link bytes (higher is better); 0 before anything crossed the link.</summary>
    public double CompressionRatio { get; init; }

    /// <summary>What the agent is waiting for, if anything ("queue full", "target cluster unreachable").</summary>
    public string Note { get; init; } = "";

    /// <summary>
    /// Seq ranges the queue will never deliver, with the source offsets they held where known and,
    /// on the source, a command that reads them from the source cluster again. Empty when nothing was lost.
    /// </summary>
    public IReadOnlyList<LostSeqRange> LostSeqs { get; init; } = [];

    /// <summary>What the agent had to fix in its queue when it started (a rebuilt cursor, a cursor past the queue's end), one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>When the agent started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The last error, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>When this snapshot was taken (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The agent's process id.</summary>
    public int ProcessId { get; init; }

    /// <summary>When the agent's process started (UTC): with <see cref="ProcessId"/> it tells the agent's process from a later one that reuses the id.</summary>
    public DateTimeOffset? ProcessStartedAt { get; init; }

    /// <summary>The machine the agent runs on; its process can be checked only there.</summary>
    public string? MachineName { get; init; }

    /// <summary>One line for people: where a host prints the status as text (a summary after Ctrl+C).</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Role} '{Name}' {State}: in {RecordsIn:N0}, out {RecordsOut:N0}, lag {LagRecords:N0} records / {LagSeconds:0.0} s, ratio {CompressionRatio:0.0}, last error {LastError ?? "none"}");
}
