namespace KafkaSync.Engine.Tsdb;

/// <summary>One time-series node of a cluster.</summary>
public sealed record TsdbNodeOptions
{
    /// <summary>A short unique name (letters, digits, '-', '_', '.'); it names the node's consumer group.</summary>
    public string Name { get; init; } = "";

    /// <summary>The node's base URL, e.g. <c>http://10.0.0.5:8086</c>.</summary>
    public string Url { get; init; } = "";

    /// <summary>The node's share of the read load relative to the others (default 1; 2 takes twice the load).</summary>
    public double Weight { get; init; } = 1;
}
