using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Decides the target topic and partition of each record: renaming, partition counts of the
/// target topics (looked up once, created when missing), and the partition-mismatch rule.
/// <paramref name="admin"/> stays open for the producer's whole life: disposing an admin client
/// waits up to 100 ms for its poll thread, which stalled the producer once per target topic at
/// start. It is a client of its own beside the producer (see RawProducer), which asks for a
/// topic's metadata itself when it first meets the topic.
/// </summary>
internal sealed class TopicPlacement(TargetAgentOptions options, IAdminClient admin, AgentCounters counters, IProgress<string>? log)
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, int> _targetPartitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sourcePartitions = new(StringComparer.Ordinal);
    private (string Topic, int Partition, TopicPartition Target)? _last;

    /// <summary>Remembers a source topic's partition count from a <see cref="TopicDescriptor"/>.</summary>
    public void Describe(string sourceTopic, int partitions) => _sourcePartitions[sourceTopic] = partitions;

    /// <summary>The target partition for <paramref name="sourceTopic"/>[<paramref name="sourcePartition"/>]; waits while the target cluster is unreachable.</summary>
    /// <exception cref="AgentException">The topic lacks the partition and the mismatch rule is fail.</exception>
    /// <exception cref="OperationCanceledException">Stopped while waiting for the cluster.</exception>
    public TopicPartition Place(string sourceTopic, int sourcePartition, CancellationToken stop)
    {
        // Records of a partition come in runs; reuse the last answer instead of renaming again.
        if (_last is { } last && last.Partition == sourcePartition && string.Equals(last.Topic, sourceTopic, StringComparison.Ordinal))
        {
            return last.Target;
        }

        var placed = PlaceNew(sourceTopic, sourcePartition, stop);
        _last = (sourceTopic, sourcePartition, placed);
        return placed;
    }

    private TopicPartition PlaceNew(string sourceTopic, int sourcePartition, CancellationToken stop)
    {
        var target = options.Topics.Apply(sourceTopic);
        if (!_targetPartitions.TryGetValue(target, out var count))
        {
            count = Discover(target, sourceTopic, sourcePartition, stop);
            _targetPartitions[target] = count;
        }

        if (sourcePartition < count)
        {
            return new TopicPartition(target, sourcePartition);
        }

        return options.PartitionMismatch switch
        {
            PartitionMismatch.Modulo => new TopicPartition(target, sourcePartition % count),
            PartitionMismatch.Key => new TopicPartition(target, Partition.Any),
            _ => throw new AgentException(
                $"Target topic '{target}' has {count} partition(s), so source partition {sourcePartition} of '{sourceTopic}' has no counterpart. " +
                $"Add partitions to '{target}' (at least {sourcePartition + 1}), or set partitionMismatch to modulo or key."),
        };
    }

    private int Discover(string target, string sourceTopic, int sourcePartition, CancellationToken stop)
    {
        var created = false;
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                // Listing all topics never triggers the broker's auto-creation, so a topic we
                // create below gets the source's partition count, not the broker default.
                var metadata = admin.GetMetadata(MetadataTimeout);
                var topic = metadata.Topics.FirstOrDefault(t => t.Topic == target && t.Error.Code == ErrorCode.NoError);
                if (topic is not null && topic.Partitions.Count > 0)
                {
                    counters.Note = "";
                    return topic.Partitions.Count;
                }

                if (!options.CreateTopics)
                {
                    throw new AgentException($"Target topic '{target}' does not exist and createTopics is off; create it with at least {Wanted(sourceTopic, sourcePartition)} partition(s).");
                }

                if (!created)
                {
                    Create(target, Wanted(sourceTopic, sourcePartition));
                    created = true;
                    continue;
                }

                // The cluster refused to create it (policy or no admin API): producing may still
                // auto-create it with the broker's default count; ask for its metadata by name.
                var named = admin.GetMetadata(target, MetadataTimeout).Topics.FirstOrDefault(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0);
                if (named is not null)
                {
                    return named.Partitions.Count;
                }

                throw new AgentException($"Target topic '{target}' does not exist and could not be created; create it with at least {Wanted(sourceTopic, sourcePartition)} partition(s) (see the last error).");
            }
            catch (KafkaException ex)
            {
                counters.Note = "target cluster unreachable";
                counters.SetError($"target cluster: {ex.Error.Reason}");
                stop.WaitHandle.WaitOne(RetryEvery);
            }
        }
    }

    /// <summary>Creates the exactly-once checkpoint topic (1 partition, compacted) when the cluster lacks it.</summary>
    public void EnsureCheckpointTopic(string topic, CancellationToken stop)
    {
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                if (admin.GetMetadata(MetadataTimeout).Topics.Any(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError))
                {
                    return;
                }

                try
                {
                    admin.CreateTopicsAsync(
                            [new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = options.NewTopicReplicationFactor, Configs = new() { ["cleanup.policy"] = "compact" } }],
                            new CreateTopicsOptions { RequestTimeout = MetadataTimeout, OperationTimeout = MetadataTimeout })
                        .GetAwaiter().GetResult();
                    log?.Report($"Created checkpoint topic '{topic}'.");
                }
                catch (KafkaException ex)
                {
                    // Without the admin API the first transaction's produce creates it (auto-create).
                    log?.Report($"Could not create checkpoint topic '{topic}' ({ex.Error.Reason}); relying on the broker's auto-creation.");
                }

                return;
            }
            catch (KafkaException ex)
            {
                counters.Note = "target cluster unreachable";
                counters.SetError($"target cluster: {ex.Error.Reason}");
                stop.WaitHandle.WaitOne(RetryEvery);
            }
        }
    }

    private int Wanted(string sourceTopic, int sourcePartition) =>
        Math.Max(options.NewTopicPartitions, Math.Max(sourcePartition + 1, _sourcePartitions.GetValueOrDefault(sourceTopic)));

    private void Create(string target, int partitions)
    {
        try
        {
            admin.CreateTopicsAsync(
                    [new TopicSpecification { Name = target, NumPartitions = partitions, ReplicationFactor = options.NewTopicReplicationFactor }],
                    new CreateTopicsOptions { RequestTimeout = MetadataTimeout, OperationTimeout = MetadataTimeout })
                .GetAwaiter().GetResult();
            log?.Report($"Created target topic '{target}' with {partitions} partition(s).");
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
        {
            // Created meanwhile by someone else: fine.
        }
        catch (KafkaException ex)
        {
            counters.SetError($"creating target topic '{target}': {ex.Error.Reason}");
            log?.Report($"Could not create target topic '{target}': {ex.Error.Reason}");
        }
    }
}
