using System.Text.Json.Serialization;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Sync;

/// <summary>The disk queue of an agent, in config terms (sizes as "8GiB").</summary>
public sealed record AgentQueueOptions
{
    /// <summary>The queue's folder; the agent's status.json is kept there too.</summary>
    public string Path { get; init; } = "";

    /// <summary>The most bytes the queue keeps; when full, the stage feeding it pauses. Default 8 GiB.</summary>
    [JsonConverter(typeof(ByteSizeJsonConverter))]
    public ByteSize Capacity { get; init; } = new(8L << 30);

    /// <summary>Size of one segment file. Default 64 MiB.</summary>
    [JsonConverter(typeof(ByteSizeJsonConverter))]
    public ByteSize SegmentSize { get; init; } = new(64L << 20);

    /// <summary>When appends reach the disk. Default EachCommit (every batch is fsynced before it is acknowledged).</summary>
    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.EachCommit;

    /// <summary>Checks the settings with field names as the agent config spells them.</summary>
    /// <exception cref="OptionsException">A setting is wrong.</exception>
    public void Validate(string prefix)
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new OptionsException($"{prefix}.path", "is required; give the folder that holds (or will hold) the agent's queue.");
        }

        OptionsException.ThrowIfOutOfRange($"{prefix}.segmentSize", SegmentSize.Bytes, DiskQueueOptions.MinSegmentBytes, DiskQueueOptions.MaxSegmentBytes, ByteSize.Format);
        if (Capacity.Bytes < 2 * SegmentSize.Bytes)
        {
            throw new OptionsException($"{prefix}.capacity", $"{Capacity} is less than twice {prefix}.segmentSize ({SegmentSize}); use at least {ByteSize.Format(2 * SegmentSize.Bytes)}.");
        }

        if (!Enum.IsDefined(Fsync))
        {
            throw new OptionsException($"{prefix}.fsync", $"'{Fsync}' is not a policy; use eachCommit, interval or never.");
        }
    }

    /// <summary>The queue's own options.</summary>
    public DiskQueueOptions ToDiskQueueOptions() => new()
    {
        Path = Path,
        CapacityBytes = Capacity.Bytes,
        SegmentBytes = SegmentSize.Bytes,
        Fsync = Fsync,
    };
}
