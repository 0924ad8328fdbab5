using Confluent.Kafka;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>The Kafka side: partition assignment, finished batches, offset commits and end offsets.</summary>
internal sealed partial class NodeConnector
{
    /// <summary>True when every assigned partition has been consumed up to its end offset as last fetched.</summary>
    private bool ReadToEnd(IConsumer<Ignore, byte[]> consumer)
    {
        foreach (var tp in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(tp).High;
            if (high.IsSpecial || tracker.NextOffset(tp.Partition.Value) < high.Value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Where each partition of the share starts: the group's committed offset (this node's own
    /// progress), or where auto.offset.reset says when the group has none (null: left to
    /// librdkafka, the "error" policy). Looked up here rather than left to librdkafka, which
    /// waits 100 ms before it even asks for the first offset of each partition of a new group.
    /// Published at once as the node's committed offsets.
    /// </summary>
    private Dictionary<int, long?> LoadCommitted(IConsumer<Ignore, byte[]> consumer, List<TopicPartition> partitions)
    {
        var committed = partitions.Count == 0 ? [] : consumer.Committed(partitions, TimeSpan.FromSeconds(30));
        tracker.Clear();
        hadCommit.Clear();
        markers.Reset();
        var view = new Dictionary<int, long>();
        var starts = new Dictionary<int, long?>();
        foreach (var tpo in committed)
        {
            var position = tpo.Offset.IsSpecial ? StartWithoutCommit(consumer, tpo.TopicPartition) : tpo.Offset.Value;
            if (!tpo.Offset.IsSpecial)
            {
                hadCommit.Add(tpo.Partition.Value);
            }

            view[tpo.Partition.Value] = position ?? 0;
            starts[tpo.Partition.Value] = position;
        }

        committedView = view;
        endView = [];
        offsetsLoaded = true;
        Progressed?.Invoke();
        return starts;
    }

    /// <summary>Where a partition without a committed offset starts under auto.offset.reset; null leaves it to librdkafka (the "error" policy).</summary>
    private long? StartWithoutCommit(IConsumer<Ignore, byte[]> consumer, TopicPartition partition) => startPolicy switch
    {
        AutoOffsetReset.Earliest => consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(30)).Low.Value,
        AutoOffsetReset.Latest => consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(30)).High.Value,
        _ => null,
    };

    /// <summary>Takes back finished batches; true when there was any.</summary>
    private bool DrainCompletions()
    {
        var any = false;
        while (completions.TryDequeue(out var done))
        {
            any = true;
            batchesOut--;
            if (done.Written)
            {
                foreach (var r in done.Batch.Records)
                {
                    tracker.Complete(r.Partition, r.Offset);
                }
            }

            done.Batch.ReturnRecords();
        }

        return any;
    }

    private void Commit(IConsumer<Ignore, byte[]> consumer)
    {
        var advanced = tracker.TakeAdvanced();
        if (advanced.Count == 0)
        {
            return;
        }

        CommitPositions(consumer, advanced);
    }

    private void CommitPositions(IConsumer<Ignore, byte[]> consumer, IReadOnlyCollection<(int Partition, long Position)> positions)
    {
        try
        {
            consumer.Commit(positions.Select(p => new TopicPartitionOffset(options.Kafka.Topic, p.Partition, p.Position)));
        }
        catch (KafkaException ex)
        {
            // The next commit carries the same or later positions; a crash before it replays, never skips.
            log($"{Node.Name}: commit failed, will retry: {ex.Error.Reason}");
            return;
        }

        var view = new Dictionary<int, long>(committedView);
        foreach (var (partition, position) in positions)
        {
            view[partition] = position;
            hadCommit.Add(partition);
        }

        committedView = view;
        Interlocked.Exchange(ref lastCommitTicks, DateTime.UtcNow.Ticks);
        Progressed?.Invoke();
    }

    private void RefreshEnds(IConsumer<Ignore, byte[]> consumer)
    {
        var view = new Dictionary<int, long>(endView);
        foreach (var tp in consumer.Assignment)
        {
            // The end offsets each fetch brings back; no extra round trip to the broker.
            var high = consumer.GetWatermarkOffsets(tp).High;
            if (!high.IsSpecial)
            {
                view[tp.Partition.Value] = high.Value;
            }
        }

        endView = view;
    }
}
