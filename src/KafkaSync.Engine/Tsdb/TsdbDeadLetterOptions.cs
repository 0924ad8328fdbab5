namespace KafkaSync.Engine.Tsdb;

/// <summary>Where records a node rejects for good go: a Kafka topic, a file of JSON lines, or both.</summary>
public sealed record TsdbDeadLetterOptions
{
    /// <summary>A Kafka topic (on the same cluster) for dead letters; empty for none.</summary>
    public string Topic { get; init; } = "";

    /// <summary>A file that dead letters are appended to as JSON lines; empty for none.</summary>
    public string Path { get; init; } = "";
}
