namespace KafkaSync.Engine.Tsdb;

/// <summary>Where the connectors read the points from.</summary>
public sealed record TsdbKafkaOptions
{
    /// <summary>Kafka bootstrap servers, e.g. <c>broker1:9092,broker2:9092</c>.</summary>
    public string BootstrapServers { get; init; } = "";

    /// <summary>The topic whose records carry InfluxDB line protocol (one or more lines per record).</summary>
    public string Topic { get; init; } = "";

    /// <summary>
    /// Prefix of each connector's consumer group; the group is <c>{GroupPrefix}{cluster}.{node}</c>,
    /// so every node keeps its own offsets. Default <c>kafkasync.tsdb.</c>.
    /// </summary>
    public string GroupPrefix { get; init; } = "kafkasync.tsdb.";

    /// <summary>Extra librdkafka consumer settings (e.g. security.protocol, sasl.*), passed as they are.</summary>
    public IReadOnlyDictionary<string, string> Consumer { get; init; } = new Dictionary<string, string>();
}
