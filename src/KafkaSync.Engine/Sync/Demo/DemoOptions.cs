using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Sync.Demo;

/// <summary>Settings of <see cref="SyncDemo"/>.</summary>
public sealed record DemoOptions
{
    /// <summary>Sample records to copy. Default 200,000.</summary>
    public int Records { get; init; } = 200_000;

    /// <summary>Topics of sample traffic. Default 3.</summary>
    public int Topics { get; init; } = 3;

    /// <summary>Partitions per topic. Default 4.</summary>
    public int Partitions { get; init; } = 4;

    /// <summary>Cut the link in the middle of the run and let it resume.</summary>
    public bool CutLink { get; init; }

    /// <summary>Folder for the two queues; default a new temporary folder, deleted afterwards.</summary>
    public string? Folder { get; init; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="OptionsException">A setting is out of range.</exception>
    public void Validate()
    {
        OptionsException.ThrowIfOutOfRange("records", Records, 100, 2_000_000);
        OptionsException.ThrowIfOutOfRange("topics", Topics, 1, 50);
        OptionsException.ThrowIfOutOfRange("partitions", Partitions, 1, 64);
        // The embedded cluster keeps only 5 MiB per partition; a sample record takes about 250 B.
        if ((long)Records * 250 / (Topics * Partitions) > 9L << 19)
        {
            throw new OptionsException("records", $"{Records} records over {Topics * Partitions} partitions overflow the embedded cluster's per-partition retention; use more topics or partitions, or at most {(9L << 19) * Topics * Partitions / 250} records.");
        }
    }
}
