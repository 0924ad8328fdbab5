using Confluent.Kafka;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>Which partitions the connector feeds: the instance's share, assigned directly.</summary>
internal sealed partial class NodeConnector
{
    /// <summary>
    /// Waits until the share is known and loads its committed offsets (the monitor compares nodes
    /// by them even while this node is down), waits until the node is up and set up, checks the
    /// node's offset marker, then assigns the share from where the node really stands.
    /// </summary>
    /// <returns>The share's version that was assigned.</returns>
    private int AssignShare(IConsumer<Ignore, byte[]> consumer, CancellationToken cancellation)
    {
        while (!share.WaitKnown(TimeSpan.FromMilliseconds(500), cancellation))
        {
            cancellation.ThrowIfCancellationRequested();
        }

        var version = share.Version;
        var partitions = (share.Partitions ?? []).Select(p => new TopicPartition(options.Kafka.Topic, p)).ToList();
        var starts = LoadCommitted(consumer, partitions);

        // Consume nothing until the node can take it: a node down at start must not stop the others.
        resumed = false;
        while (SetUpNode(cancellation) is { } problem)
        {
            log($"{Node.Name}: {problem}; retrying in {Configuration.Duration.Format(settings.RetryInterval)}");
            reportFailure(Node.Name, problem);
            cancellation.WaitHandle.WaitOne(settings.RetryInterval);
            cancellation.ThrowIfCancellationRequested();
        }

        var positions = starts.Where(s => s.Value != null).ToDictionary(s => s.Key, s => s.Value!.Value);
        var refill = CheckMarker(consumer, positions, null, cancellation);
        foreach (var (partition, position) in refill)
        {
            starts[partition] = position;
        }

        foreach (var (partition, position) in starts)
        {
            tracker.Reset(partition, position ?? 0);
        }

        if (refill.Count > 0)
        {
            CommitPositions(consumer, refill.Select(p => (p.Key, p.Value)).ToList());
        }

        markers.Begin();
        consumer.Assign(starts.Select(s => new TopicPartitionOffset(options.Kafka.Topic, s.Key, s.Value ?? Offset.Unset)));
        lock (completions)
        {
            resumed = outageReason == null;
            ResumedAt = DateTimeOffset.UtcNow;
        }

        Progressed?.Invoke();
        return version;
    }

    /// <summary>
    /// The share changed (another instance joined or left): finishes and commits what is in
    /// flight, so the partitions that move on start exactly where this instance stopped, then
    /// assigns the new share.
    /// </summary>
    private int Reassign(IConsumer<Ignore, byte[]> consumer, PointBatch batch, CancellationToken cancellation)
    {
        if (!batch.IsEmpty && outageReason == null)
        {
            Dispatch(batch, cancellation);
        }

        while (batchesOut > 0)
        {
            completed.Wait(TimeSpan.FromMilliseconds(100), cancellation);
            DrainCompletions();
        }

        Commit(consumer);
        return AssignShare(consumer, cancellation);
    }
}
