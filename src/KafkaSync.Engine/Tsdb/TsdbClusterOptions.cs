using System.Text.Json.Serialization;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Tsdb;

/// <summary>
/// A high-availability time-series cluster fed from Kafka: the nodes, the topic, and how the
/// connectors, the monitor and the read balancer behave. Loaded from JSON with
/// <see cref="ConfigFile.Load{T}"/>; call <see cref="Validate"/> before use.
/// </summary>
public sealed partial record TsdbClusterOptions
{
    /// <summary>The JSON schema the config file names, for editors; not used otherwise.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    /// <summary>The cluster's name; part of every consumer group name. Default <c>tsdb</c>.</summary>
    public string Name { get; init; } = "tsdb";

    /// <summary>The kind of every node.</summary>
    public TsdbNodeKind Kind { get; init; } = TsdbNodeKind.InfluxDb;

    /// <summary>The nodes; each gets its own connector and consumer group.</summary>
    public IReadOnlyList<TsdbNodeOptions> Nodes { get; init; } = [];

    /// <summary>Where the points come from.</summary>
    public TsdbKafkaOptions Kafka { get; init; } = new();

    /// <summary>InfluxDB settings (database, retention policy, precision, credentials); VictoriaMetrics uses only the precision.</summary>
    public TsdbInfluxOptions Influx { get; init; } = new();

    /// <summary>Batching, parallel writers and retries.</summary>
    public TsdbConnectorOptions Connector { get; init; } = new();

    /// <summary>Health checks and re-entry.</summary>
    public TsdbMonitorOptions Monitor { get; init; } = new();

    /// <summary>The read balancer.</summary>
    public TsdbBalancerOptions Balancer { get; init; } = new();

    /// <summary>Where rejected records go.</summary>
    public TsdbDeadLetterOptions DeadLetter { get; init; } = new();

    /// <summary>The Prometheus <c>/metrics</c> endpoint; off unless <c>metrics.listen</c> is set.</summary>
    public Metrics.MetricsOptions Metrics { get; init; } = new();

    /// <summary>The consumer group of the connector that feeds <paramref name="node"/>.</summary>
    public string ConsumerGroup(string node) => $"{Kafka.GroupPrefix}{Name}.{node}";

    /// <summary>The password to send, from the environment variable when one is named.</summary>
    public string ResolvePassword() =>
        string.IsNullOrEmpty(Influx.PasswordEnvironmentVariable)
            ? Influx.Password
            : Environment.GetEnvironmentVariable(Influx.PasswordEnvironmentVariable) ?? "";

    /// <summary>These options with the Kafka bootstrap servers and topic replaced where given (a command line over the file).</summary>
    public TsdbClusterOptions WithKafka(string? bootstrapServers, string? topic) => this with
    {
        Kafka = Kafka with
        {
            BootstrapServers = bootstrapServers ?? Kafka.BootstrapServers,
            Topic = topic ?? Kafka.Topic,
        },
    };
}
