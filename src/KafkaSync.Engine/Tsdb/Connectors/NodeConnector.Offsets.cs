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

    private void OnAssigned(IConsumer<Ignore, byte[]> consumer, List<TopicPartition> partitions)
    {
        // The group's committed offsets are this node's own progress: resume from them.
        var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(30));
        var view = new Dictionary<int, long>(committedView);
        foreach (var tpo in committed)
        {
            var position = tpo.Offset.IsSpecial ? 0 : tpo.Offset.Value;
            tracker.Reset(tpo.Partition.Value, position);
            view[tpo.Partition.Value] = position;
        }

        committedView = view;
        resumed = outageReason == null;
        log($"{Node.Name}: assigned {partitions.Count} partition(s) of {options.Kafka.Topic} in group {ConsumerGroup}");
    }

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
        }

        committedView = view;
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
