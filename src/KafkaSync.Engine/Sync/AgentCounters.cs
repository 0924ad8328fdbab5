namespace KafkaSync.Engine.Sync;

/// <summary>Counters an agent's stages update and its status snapshot reads; thread-safe.</summary>
internal sealed class AgentCounters
{
    private long _recordsIn;
    private long _bytesIn;
    private long _recordsOut;
    private long _skipped;
    private string? _lastError;
    private string _note = "";

    public long RecordsIn => Interlocked.Read(ref _recordsIn);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public long RecordsOut => Interlocked.Read(ref _recordsOut);

    /// <summary>Records the source consumer skipped because the queue already held them.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Per topic-partition counts for the metrics endpoint; null (nothing counted) while metrics are off.</summary>
    public Metrics.PartitionTraffic? Traffic { get; set; }

    /// <summary>A short word on what the agent waits for, e.g. "queue full", "target cluster unreachable".</summary>
    public string Note
    {
        get => Volatile.Read(ref _note);
        set => Volatile.Write(ref _note, value);
    }

    public void AddIn(long records, long bytes)
    {
        Interlocked.Add(ref _recordsIn, records);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    public void AddOut(long records) => Interlocked.Add(ref _recordsOut, records);

    public void AddSkipped(long records) => Interlocked.Add(ref _skipped, records);

    public void SetError(string? message) => Volatile.Write(ref _lastError, message);
}
