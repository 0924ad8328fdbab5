using Confluent.Kafka;

namespace KafkaSync.Engine.Sync;

/// <summary>The Kafka side of the source consumer: client settings, topic resolution, assignment.</summary>
internal sealed partial class SourceConsumer
{
    private IConsumer<byte[]?, byte[]?> BuildConsumer(Dictionary<string, string> settings)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(settings))
        {
            GroupId = _options.EffectiveGroupId,
            ClientId = "kafkasync-source-" + _options.Name,
            // Offsets are stored only once durable in the queue; auto-commit then commits only those.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1000,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = _options.StartFrom == StartPosition.Latest ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest,
        };
        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetLogHandler(OnLog)
            .SetErrorHandler((_, error) => OnError(error))
            .SetPartitionsAssignedHandler((_, partitions) => partitions.Select(StartOffset))
            .Build();
    }

    /// <summary>Starts a newly assigned partition after the last record the queue holds, if any.</summary>
    private TopicPartitionOffset StartOffset(TopicPartition partition)
    {
        var last = _offsets.Last(partition.Topic, partition.Partition.Value);
        return new TopicPartitionOffset(partition, last is { } offset ? new Offset(offset + 1) : Offset.Unset);
    }

    private IReadOnlyList<string> ResolveTopics(IAdminClient admin, bool fatal)
    {
        Metadata metadata;
        try
        {
            metadata = admin.GetMetadata(_options.ConnectTimeout);
        }
        catch (KafkaException ex)
        {
            var message = $"Cannot reach the source cluster at {_options.Kafka.BootstrapServers} within {Configuration.Duration.Format(_options.ConnectTimeout)}: {ex.Error.Reason}. Check kafka.bootstrapServers, the network and the security settings.";
            if (fatal)
            {
                throw new AgentException(message, ex);
            }

            _counters.SetError(message);
            return _subscription;
        }

        var existing = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToList();
        var topics = _options.Topics.Resolve(existing.Select(t => t.Topic), "topics");
        foreach (var topic in existing.Where(t => topics.Contains(t.Topic)))
        {
            _partitionCounts[topic.Topic] = topic.Partitions.Count;
        }

        if (topics.Count == 0)
        {
            _log?.Report($"No topic matches include '{_options.Topics.Include}' yet; looking again every {Configuration.Duration.Format(_options.TopicRefreshInterval)}.");
        }

        return topics;
    }

    /// <summary>Queues a <see cref="TopicDescriptor"/> for each topic whose partition count the target has not been told.</summary>
    private void AnnounceTopics(CancellationToken stop)
    {
        var appended = false;
        foreach (var topic in _subscription)
        {
            if (_partitionCounts.TryGetValue(topic, out var count) && (!_announced.TryGetValue(topic, out var told) || told != count))
            {
                var payload = Records.KafkaRecordSerializer.Serialize(TopicDescriptor.Create(topic, count));
                _queue.AppendAsync(payload, stop).AsTask().GetAwaiter().GetResult();
                _announced[topic] = count;
                appended = true;
            }
        }

        if (appended)
        {
            _queue.CommitAsync(stop).AsTask().GetAwaiter().GetResult();
        }
    }

    private void Refresh(IAdminClient admin, IConsumer<byte[]?, byte[]?> consumer)
    {
        var topics = ResolveTopics(admin, fatal: false);
        if (!topics.SequenceEqual(_subscription, StringComparer.Ordinal))
        {
            _log?.Report($"Topics now {string.Join(", ", topics)}.");
            _subscription = topics;
            if (topics.Count == 0)
            {
                consumer.Unsubscribe();
            }
            else
            {
                consumer.Subscribe(topics);
            }
        }

        AnnounceTopics(CancellationToken.None);
    }

    private void OnError(Error error)
    {
        _counters.SetError($"source cluster: {error.Reason}");
        _log?.Report($"Source cluster: {error.Reason}{(error.IsFatal ? " (fatal)" : "")}");
    }

    private void OnLog(IClient client, LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning)
        {
            _log?.Report($"librdkafka {message.Facility}: {message.Message}");
        }
    }
}
