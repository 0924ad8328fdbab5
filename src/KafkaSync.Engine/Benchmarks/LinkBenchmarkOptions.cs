using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>Settings of <c>kafkasync bench link</c>.</summary>
public sealed record LinkBenchmarkOptions
{
    /// <summary>Records to generate. Default 300,000 (about 100 MB of payload).</summary>
    public int Records { get; init; } = 300_000;

    /// <summary>Generator seed; the same seed gives the same records.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>zstd level of the link and of the Kafka batch baseline. Default 3.</summary>
    public int Level { get; init; } = 3;

    /// <summary>Let the link adapt its level (from <see cref="Level"/> up to 19) to the bottleneck.</summary>
    public bool AdaptiveLevel { get; init; }

    /// <summary>Bandwidth cap in megabits per second (token bucket); 0 for none.</summary>
    public double LinkMbit { get; init; }

    /// <summary>Frame codec; <see cref="Framing.FrameCodec.None"/> shows what the link and queues move without compression.</summary>
    public Framing.FrameCodec Codec { get; init; } = Framing.FrameCodec.Zstd;

    /// <summary>Raw payload bytes per frame. Default 1 MiB, the link's default.</summary>
    public int FrameBytes { get; init; } = 1 << 20;

    /// <summary>Unacknowledged bytes in flight. Default 16 MiB.</summary>
    public long WindowBytes { get; init; } = 16L << 20;

    /// <summary>Fsync policy of both queues. Default: each commit, as in production.</summary>
    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.EachCommit;

    /// <summary>Folder for the two queues; default a new temporary folder, deleted afterwards.</summary>
    public string? Directory { get; init; }

    /// <summary>Checks the settings, naming the first bad one.</summary>
    /// <exception cref="OptionsException">A setting is out of range.</exception>
    public void Validate()
    {
        OptionsException.ThrowIfOutOfRange("records", Records, 1_000, 20_000_000);
        OptionsException.ThrowIfOutOfRange("level", Level, 1, 19);
        if (LinkMbit < 0 || LinkMbit > 100_000 || double.IsNaN(LinkMbit))
        {
            throw new OptionsException("link-mbit", $"{LinkMbit} is out of range; use 0 (no cap) up to 100000.");
        }

        OptionsException.ThrowIfOutOfRange("frame-bytes", FrameBytes, 4096, 16 << 20, ByteSize.Format);
        OptionsException.ThrowIfOutOfRange("window-bytes", WindowBytes, 64 << 10, 4L << 30, ByteSize.Format);
    }
}
