using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Benchmarks.Memory;

/// <summary>Settings of `kafkasync bench memory`, with their defaults.</summary>
public sealed record MemoryBenchmarkOptions
{
    /// <summary>The target producer's buffer in bytes (queue.buffering.max.kbytes of <c>TargetProducer</c>): the unit a backlog is measured in.</summary>
    public const long ProducerBufferBytes = Sync.TargetProducer.BufferKbytes * 1024L;

    /// <summary><see cref="Outage"/>: every broker of the target cluster taken down with the embedded cluster's fault injection.</summary>
    public const string OutageDown = "down";

    /// <summary><see cref="Outage"/>: the target cluster's process frozen with SIGSTOP and resumed with SIGCONT.</summary>
    public const string OutageSigstop = "sigstop";

    /// <summary>Partitions of the benchmark's topic on both clusters. Default 12.</summary>
    /// <remarks>The embedded cluster keeps only the newest ≈5 MiB per partition; the producer keeps the source agent's lag under 2 MiB per partition.</remarks>
    public int Partitions { get; init; } = 12;

    /// <summary>Bytes of each record's value. Default 16 KiB.</summary>
    public int ValueBytes { get; init; } = 16 << 10;

    /// <summary>Seconds of the small steady flow before and while the baseline is taken (the first half is warm-up). Default 20.</summary>
    public int BaselineSeconds { get; init; } = 20;

    /// <summary>Rate of the small flow, in MiB/s. Default 1.</summary>
    public double BaselineMiBPerSecond { get; init; } = 1;

    /// <summary>The backlog the target agent drains, in MiB, held in the source queue while the target agent is stopped. Default 768 (48 producer buffers).</summary>
    public int BacklogMiB { get; init; } = 768;

    /// <summary>How much the target queue grows while the target cluster is stopped, in GiB. Default 2.</summary>
    public double GrowGiB { get; init; } = 2;

    /// <summary>Growth between two reported points while the target cluster is stopped, in MiB. Default 512.</summary>
    public int StepMiB { get; init; } = 512;

    /// <summary>
    /// How the target cluster goes away: <see cref="OutageDown"/> (default; connections refused, data kept) or
    /// <see cref="OutageSigstop"/> (nothing answers; librdkafka 2.16's mock cluster has been seen to drop
    /// its brokers and data on SIGCONT after a long stop with clients attached).
    /// </summary>
    public string Outage { get; init; } = OutageDown;

    /// <summary>Where the agents' queues go (a fresh folder is made inside). Default: the system's temporary folder.</summary>
    public string? Folder { get; init; }

    /// <summary>A folder to keep each child's stderr in (agents then log with --verbose); default: none kept.</summary>
    public string? Logs { get; init; }

    /// <summary>How to start this program again (e.g. "dotnet", "kafkasync.dll"): clusters and agents are child processes.</summary>
    public IReadOnlyList<string> SelfCommand { get; init; } = [];

    /// <summary>Records in flight between the bench's producer and the source agent's queue: 2 MiB per partition, well under the embedded cluster's ≈5 MiB.</summary>
    public int LagBudgetRecords => Math.Max(16, (int)((2L << 20) * Partitions / ValueBytes));

    /// <summary>Checks every setting.</summary>
    /// <exception cref="OptionsException">The first wrong setting, by its option name.</exception>
    public void Validate()
    {
        OptionsException.ThrowIfOutOfRange("--partitions", Partitions, 1, 256);
        OptionsException.ThrowIfOutOfRange("--value-bytes", ValueBytes, 256, 1 << 20);
        OptionsException.ThrowIfOutOfRange("--baseline-seconds", BaselineSeconds, 2, 600);
        if (!(BaselineMiBPerSecond is >= 0.01 and <= 100))
        {
            throw new OptionsException("--baseline-mib-s", $"{BaselineMiBPerSecond} is out of range; use 0.01 to 100.");
        }

        OptionsException.ThrowIfOutOfRange("--backlog-mib", BacklogMiB, 1, 64 << 10);
        if (!(GrowGiB is >= 0.01 and <= 64))
        {
            throw new OptionsException("--grow-gib", $"{GrowGiB} is out of range; use 0.01 to 64 (the target queue's capacity is 8 GiB by default).");
        }

        OptionsException.ThrowIfOutOfRange("--step-mib", StepMiB, 1, 64 << 10);
        if (Outage is not (OutageDown or OutageSigstop))
        {
            throw new OptionsException("--outage", $"'{Outage}' is not allowed; use {OutageDown} or {OutageSigstop}.");
        }

        if (SelfCommand.Count == 0)
        {
            throw new OptionsException("selfCommand", "is empty; the benchmark starts this program again for the clusters and agents.");
        }
    }
}
