using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Framing;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>Settings of <see cref="FrameBenchmark"/> (the <c>kafkasync bench frames</c> command).</summary>
public sealed record FrameBenchmarkOptions
{
    /// <summary>Records to generate. Default 200,000 (about 70 MB of payload).</summary>
    public int Records { get; init; } = 200_000;

    /// <summary>Generator seed; the same seed measures the same records.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The level the layout, streaming, dictionary and Kafka comparisons use. Default 1 (the frame default).</summary>
    public int Level { get; init; } = 1;

    /// <summary>The levels whose speed and ratio are listed. Default -1, 1, 3, 6.</summary>
    public IReadOnlyList<int> Levels { get; init; } = [-1, 1, 3, 6];

    /// <summary>Payload bytes per frame (the link's frames.targetFrameBytes). Default 256 KiB.</summary>
    public int FrameBytes { get; init; } = 256 << 10;

    /// <summary>frames.windowLog for every run: log2 of the stream's history window. Default 23.</summary>
    public int WindowLog { get; init; } = new FrameOptions().WindowLog;

    /// <summary>When set, the trained dictionary is saved here, for frames.dictionaryPath.</summary>
    public string? SaveDictionaryPath { get; init; }

    /// <summary>Checks the settings, naming the first bad one.</summary>
    /// <exception cref="OptionsException">A setting is out of range.</exception>
    public void Validate()
    {
        OptionsException.ThrowIfOutOfRange("records", Records, 1_000, 10_000_000);
        OptionsException.ThrowIfOutOfRange("frame-bytes", FrameBytes, 1024, 16 << 20, ByteSize.Format);
        OptionsException.ThrowIfOutOfRange("window-log", WindowLog, 10, 27);
        foreach (var level in Levels.Append(Level))
        {
            OptionsException.ThrowIfOutOfRange("level", level, Compression.ZstdCompressor.MinLevel, Compression.ZstdCompressor.MaxLevel);
        }
    }
}
