using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Everything a target agent needs: its link listener, its queue and the target cluster with
/// the naming and placement rules. Read from JSON with <see cref="ConfigFile.Load{T}"/>.
/// </summary>
public sealed record TargetAgentOptions
{
    /// <summary>The JSON schema the config file names for editors; ignored by the agent.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    /// <summary>The agent's name; also its transactional id ("kafkasync-NAME") and checkpoint key. Default "target".</summary>
    public string Name { get; init; } = "target";

    /// <summary>Where the link listens: "listen" (host:port; port 0 picks a free one) is required; TLS and frame limits are optional.</summary>
    public Link.LinkReceiverOptions? Link { get; init; }

    /// <summary>Path of the file holding the link's pre-shared key.</summary>
    public string? LinkKeyFile { get; init; }

    /// <summary>Name of the environment variable holding the link's pre-shared key.</summary>
    public string? LinkKeyEnvironmentVariable { get; init; }

    /// <summary>The link key given in code (the cmdlets take it from a PSCredential); never read from a file config.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Link.LinkKey? LinkKey { get; init; }

    /// <summary>The target cluster.</summary>
    public KafkaConnectionOptions Kafka { get; init; } = new();

    /// <summary>The agent's disk queue.</summary>
    public AgentQueueOptions Queue { get; init; } = new();

    /// <summary>How source topic names map to target topic names.</summary>
    public TopicRenaming Topics { get; init; } = new();

    /// <summary>What to do when the target topic has fewer partitions than the record's source partition. Default fail.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(EnumNameConverter<PartitionMismatch>))]
    public PartitionMismatch PartitionMismatch { get; init; } = PartitionMismatch.Fail;

    /// <summary>Create missing target topics (AdminClient, with the partition count described below). Default true.</summary>
    public bool CreateTopics { get; init; } = true;

    /// <summary>
    /// Partitions of a topic the agent creates: at least this many, and at least one more than the
    /// highest source partition seen for it. Default 1 (so: as many as the source partitions seen).
    /// </summary>
    public int NewTopicPartitions { get; init; } = 1;

    /// <summary>Replication factor of created topics; -1 uses the cluster's default. Default -1.</summary>
    public short NewTopicReplicationFactor { get; init; } = -1;

    /// <summary>Add kafkasync.source.* headers (cluster, topic, partition, offset) to every record. Default false.</summary>
    public bool ProvenanceHeaders { get; init; }

    /// <summary>The source cluster's label in provenance headers. Default: none (the header is left out).</summary>
    public string? SourceClusterName { get; init; }

    /// <summary>Produce in transactions that also commit the produced seq, so no crash duplicates a record. Default false.</summary>
    public bool ExactlyOnce { get; init; }

    /// <summary>Exactly-once: the topic holding each agent's last committed seq (key = agent name). Default "__kafkasync_checkpoints".</summary>
    public string CheckpointTopic { get; init; } = "__kafkasync_checkpoints";

    /// <summary>Exactly-once: the most records in one transaction. Default 10000.</summary>
    public int MaxTransactionRecords { get; init; } = 10_000;

    /// <summary>How long a clean stop waits for records in flight to be delivered. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The Prometheus <c>/metrics</c> endpoint; off unless <c>metrics.listen</c> is set.</summary>
    public Metrics.MetricsOptions Metrics { get; init; } = new();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="OptionsException">The first wrong setting, by its config name.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            throw new OptionsException("name", $"'{Name}' is not a valid agent name; use letters, digits, '.', '_' and '-'.");
        }

        Kafka.Validate("kafka");
        Queue.Validate("queue");
        if (Link is null)
        {
            throw new OptionsException("link.listen", "is required; give host:port to listen on, e.g. 0.0.0.0:7070.");
        }

        AgentLinkKey.Validate(Link.Validate);
        Topics.Validate("topics");
        if (!Enum.IsDefined(PartitionMismatch))
        {
            throw new OptionsException("partitionMismatch", $"'{PartitionMismatch}' is not allowed; use fail, modulo or key.");
        }

        OptionsException.ThrowIfOutOfRange("newTopicPartitions", NewTopicPartitions, 1, 10_000);
        if (NewTopicReplicationFactor is 0 or < -1)
        {
            throw new OptionsException("newTopicReplicationFactor", $"{NewTopicReplicationFactor} is not allowed; use -1 (cluster default) or 1 and up.");
        }

        if (string.IsNullOrWhiteSpace(CheckpointTopic))
        {
            throw new OptionsException("checkpointTopic", "is empty; give a topic name (default __kafkasync_checkpoints).");
        }

        OptionsException.ThrowIfOutOfRange("maxTransactionRecords", MaxTransactionRecords, 1, 1_000_000);
        OptionsException.ThrowIfOutOfRange("drainTimeout", DrainTimeout, TimeSpan.Zero, TimeSpan.FromHours(1));
        ArgumentNullException.ThrowIfNull(Metrics);
        Metrics.Validate("metrics");
    }
}
