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

    /// <summary>
    /// Several instances of the service run for this cluster (on different machines) and split
    /// the topic's partitions between them through Kafka's consumer-group protocol, in the group
    /// <c>{GroupPrefix}{cluster}</c>; each writes its partitions to every node. Default false: one
    /// instance feeds every partition (a second one would write every point twice).
    /// </summary>
    public bool ShareWork { get; init; }

    /// <summary>
    /// With <see cref="ShareWork"/>: how long an instance that stopped answering (a crash, a cut
    /// network) keeps its partitions before the others take them over; Kafka's session timeout of
    /// the service group. Default 10s.
    /// </summary>
    public TimeSpan ShareSessionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra librdkafka consumer settings (e.g. security.protocol, sasl.*), passed as they are.</summary>
    public IReadOnlyDictionary<string, string> Consumer { get; init; } = new Dictionary<string, string>();
}
