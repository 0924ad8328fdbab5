using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

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
        KafkaClients.EnsureLoaded();
        KafkaClients.ApplyFetchQueueBackoff(config);
        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetLogHandler(OnLog)
            .SetErrorHandler((_, error) => OnError(error))
            .Build();
    }

    /// <summary>
    /// An admin client on the consumer's own handle, kept for the consumer's life. Its metadata
    /// requests fill the consumer's metadata cache: a partition assigned while its leader is
    /// unknown waits about half a second before its first fetch. Kept open because disposing an
    /// admin client waits up to 100 ms for its poll thread, which was most of the start-up time
    /// (an open one costs no CPU since Confluent.Kafka 2.x: see <see cref="TopicPlacement"/>).
    /// </summary>
    private static IAdminClient OpenAdmin(IConsumer<byte[]?, byte[]?> consumer) =>
        new DependentAdminClientBuilder(consumer.Handle).Build();

    /// <summary>
    /// Assigns every partition of the selected topics to this consumer directly, as MirrorMaker 2
    /// does: no group membership, so no join delay and no rebalance; the group only stores offsets.
    /// A partition starts after the last record the queue holds, else at the group's committed
    /// offset, else at <see cref="SourceAgentOptions.StartFrom"/>. The callers fetched metadata
    /// through the consumer's handle just before, so the partitions' leaders are known.
    /// </summary>
    private void UpdateAssignment(IConsumer<byte[]?, byte[]?> consumer)
    {
        var wanted = _subscription
            .SelectMany(t => Enumerable.Range(0, _partitionCounts.GetValueOrDefault(t)).Select(p => new TopicPartition(t, p)))
            .ToHashSet();
        var removed = _assigned.Where(tp => !wanted.Contains(tp)).ToList();
        var added = wanted.Where(tp => !_assigned.Contains(tp)).ToList();
        if (removed.Count > 0)
        {
            consumer.IncrementalUnassign(removed);
            _assigned.ExceptWith(removed);
        }

        if (added.Count == 0)
        {
            return;
        }

        var starts = new List<TopicPartitionOffset>(added.Count);
        var notQueued = new List<TopicPartition>();
        foreach (var tp in added)
        {
            if (_offsets.Last(tp.Topic, tp.Partition.Value) is { } last)
            {
                starts.Add(new TopicPartitionOffset(tp, new Offset(last + 1)));
            }
            else
            {
                notQueued.Add(tp);
            }
        }

        starts.AddRange(StartsWithoutQueuedRecords(consumer, notQueued));
        consumer.IncrementalAssign(starts);
        _assigned.UnionWith(added);
    }

    /// <summary>
    /// Each partition's committed offset, else where <see cref="SourceAgentOptions.StartFrom"/>
    /// says. Asked for explicitly: left to librdkafka (Offset.Stored), the first fetch came about
    /// 100 ms later. "Latest" is the partition's end as of now, looked up before the assignment, so
    /// a record produced once the agent reports it is consuming is never taken for an old one (a
    /// logical Offset.End is resolved later, asynchronously). An offset out of range still resets
    /// per auto.offset.reset.
    /// </summary>
    private List<TopicPartitionOffset> StartsWithoutQueuedRecords(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        if (partitions.Count == 0)
        {
            return [];
        }

        try
        {
            return consumer.Committed(partitions, _options.ConnectTimeout)
                .Select(c => c.Offset.Value >= 0 ? c : new TopicPartitionOffset(c.TopicPartition, StartOffset(consumer, c.TopicPartition)))
                .ToList();
        }
        catch (KafkaException ex)
        {
            // librdkafka then fetches the committed offsets itself, retrying until it can.
            _log?.Report($"Could not read the group's committed offsets ({ex.Error.Reason}); librdkafka looks them up as the partitions start.");
            return partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Stored)).ToList();
        }
    }

    /// <summary>Where a partition without a committed offset starts: its beginning, or its end as of now.</summary>
    private Offset StartOffset(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        if (_options.StartFrom != StartPosition.Latest)
        {
            return Offset.Beginning;
        }

        try
        {
            return consumer.QueryWatermarkOffsets(partition, _options.ConnectTimeout).High;
        }
        catch (KafkaException)
        {
            // librdkafka resolves the end itself as the partition starts.
            return Offset.End;
        }
    }

    private void CommitStored(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing new since the last auto-commit.
        }
        catch (KafkaException ex)
        {
            // Safe to lose: the queue's own record of what it holds skips these on restart.
            _log?.Report($"Could not commit the last source offsets ({ex.Error.Reason}); the next start skips what the queue already holds.");
        }
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
        }

        AnnounceTopics(CancellationToken.None);
        UpdateAssignment(consumer);
    }

    private void OnError(Error error)
    {
        _counters.SetError($"source cluster: {error.Reason}");
        _kafkaReports.Report($"Source cluster: {error.Reason}{(error.IsFatal ? " (fatal)" : "")}");
    }

    private void OnLog(IClient client, LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning)
        {
            _kafkaReports.Report($"librdkafka {message.Facility}: {message.Message}");
        }
    }
}
