using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Everything a source agent needs: the source cluster, the topics, its queue and its link to
/// the target. Read from a JSON file with <see cref="ConfigFile.Load{T}"/>; parameters given to
/// the cmdlet or the command line override it; <see cref="Validate"/> names any wrong field.
/// </summary>
public sealed record SourceAgentOptions
{
    /// <summary>The JSON schema the config file names for editors; ignored by the agent.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    /// <summary>The agent's name: its consumer group defaults to "kafkasync-NAME". Default "source".</summary>
    public string Name { get; init; } = "source";

    /// <summary>Label of the source cluster, sent to the target for provenance headers. Default: the name.</summary>
    public string? ClusterName { get; init; }

    /// <summary>The source cluster.</summary>
    public KafkaConnectionOptions Kafka { get; init; } = new();

    /// <summary>Consumer group id. Default "kafkasync-" + <see cref="Name"/>.</summary>
    public string? GroupId { get; init; }

    /// <summary>Which topics to copy.</summary>
    public TopicSelection Topics { get; init; } = new();

    /// <summary>Where to start in partitions the group has no offset for. Default earliest.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(EnumNameConverter<StartPosition>))]
    public StartPosition StartFrom { get; init; } = StartPosition.Earliest;

    /// <summary>The agent's disk queue.</summary>
    public AgentQueueOptions Queue { get; init; } = new();

    /// <summary>The link to the target agent: "target" (host:port) is required; frames, window and TLS are optional.</summary>
    public Link.LinkSenderOptions? Link { get; init; }

    /// <summary>Path of the file holding the link's pre-shared key.</summary>
    public string? LinkKeyFile { get; init; }

    /// <summary>Name of the environment variable holding the link's pre-shared key.</summary>
    public string? LinkKeyEnvironmentVariable { get; init; }

    /// <summary>The link key given in code (the cmdlets take it from a PSCredential); never read from a file config.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Link.LinkKey? LinkKey { get; init; }

    /// <summary>How often an include pattern is matched again against the cluster's topics. Default 30 s.</summary>
    public TimeSpan TopicRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for the cluster at start before failing. Default 15 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The most records appended and committed as one batch. Default 5000.</summary>
    public int MaxBatchRecords { get; init; } = 5000;

    /// <summary>The Prometheus <c>/metrics</c> endpoint; off unless <c>metrics.listen</c> is set.</summary>
    public Metrics.MetricsOptions Metrics { get; init; } = new();

    /// <summary>The consumer group the agent uses.</summary>
    public string EffectiveGroupId => GroupId ?? "kafkasync-" + Name;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="OptionsException">The first wrong setting, by its config name.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            throw new OptionsException("name", $"'{Name}' is not a valid agent name; use letters, digits, '.', '_' and '-'.");
        }

        Kafka.Validate("kafka");
        Topics.Validate("topics");
        if (!Enum.IsDefined(StartFrom))
        {
            throw new OptionsException("startFrom", $"'{StartFrom}' is not allowed; use earliest or latest.");
        }

        Queue.Validate("queue");
        if (Link is null)
        {
            throw new OptionsException("link.target", "is required; give the target agent's host:port.");
        }

        AgentLinkKey.Validate(Link.Validate);
        OptionsException.ThrowIfOutOfRange("topicRefreshInterval", TopicRefreshInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        OptionsException.ThrowIfOutOfRange("connectTimeout", ConnectTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        OptionsException.ThrowIfOutOfRange("maxBatchRecords", MaxBatchRecords, 1, 1_000_000);
        ArgumentNullException.ThrowIfNull(Metrics);
        Metrics.Validate("metrics");
    }
}
