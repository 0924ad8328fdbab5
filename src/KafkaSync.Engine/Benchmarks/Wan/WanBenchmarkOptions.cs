using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>Settings of `kafkasync bench wan`, with their defaults.</summary>
public sealed record WanBenchmarkOptions
{
    /// <summary>Bandwidth cap of each direction of the link, in Mbit/s. Default 20.</summary>
    public double Mbit { get; init; } = 20;

    /// <summary>Round-trip time the relays add, in milliseconds. Default 40.</summary>
    public int RoundTripMs { get; init; } = 40;

    /// <summary>Records in the backlog each contender drains. Default 200,000.</summary>
    /// <remarks>The embedded cluster keeps ≈5 MiB per partition; the busiest of the generator's 23 partitions takes ≈5% of the records at ≈420 bytes each, so 240,000 is the most that stays whole.</remarks>
    public int Records { get; init; } = 200_000;

    /// <summary>Records per second produced while latency is measured. Default 5,000.</summary>
    public int Rate { get; init; } = 5_000;

    /// <summary>How long records are produced at <see cref="Rate"/>, in seconds; those produced before the first arrived, and 2 s after, are left out. Default 20.</summary>
    public int LatencySeconds { get; init; } = 20;

    /// <summary>Extra settings of the source agent's "link" section (JSON object, e.g. {"maxLevel":6}), to compare link settings; default none.</summary>
    public string? LinkSettings { get; init; }

    /// <summary>Run KafkaSync only (no mirrors, no closing line): for trying link settings quickly.</summary>
    public bool KafkaSyncOnly { get; init; }

    /// <summary>Rounds of all contenders on the same link; the closing line gives each ratio's median (the mirrors' rates vary from run to run).</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>How to start this program again (e.g. "dotnet", "kafkasync.dll"): the sites and contenders are child processes.</summary>
    public IReadOnlyList<string> SelfCommand { get; init; } = [];

    /// <summary>Checks every setting.</summary>
    /// <exception cref="OptionsException">The first wrong setting, by its option name.</exception>
    public void Validate()
    {
        if (!(Mbit is >= 1 and <= 10_000))
        {
            throw new OptionsException("--mbit", $"{Mbit} is out of range; use 1 to 10000.");
        }

        if (RoundTripMs is < 0 or > 2_000)
        {
            throw new OptionsException("--rtt-ms", $"{RoundTripMs} is out of range; use 0 to 2000.");
        }

        if (Records is < 10_000 or > 240_000)
        {
            throw new OptionsException("--records", $"{Records} is out of range; use 10000 to 240000 (the embedded cluster keeps about 5 MiB per partition).");
        }

        if (Rate is < 100 or > 50_000)
        {
            throw new OptionsException("--rate", $"{Rate} is out of range; use 100 to 50000.");
        }

        if (Rounds is < 1 or > 10)
        {
            throw new OptionsException("--rounds", $"{Rounds} is out of range; use 1 to 10.");
        }

        if (LinkSettings is not null)
        {
            try
            {
                if (System.Text.Json.Nodes.JsonNode.Parse(LinkSettings) is not System.Text.Json.Nodes.JsonObject)
                {
                    throw new OptionsException("--link", "give a JSON object, e.g. {\"maxLevel\":6}.");
                }
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new OptionsException("--link", $"not JSON: {ex.Message}");
            }
        }

        if (LatencySeconds is < 5 or > 600)
        {
            throw new OptionsException("--latency-seconds", $"{LatencySeconds} is out of range; use 5 to 600.");
        }
    }
}
