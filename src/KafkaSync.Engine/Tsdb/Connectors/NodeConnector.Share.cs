using Confluent.Kafka;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>Which partitions the connector feeds: the instance's share, assigned directly.</summary>
internal sealed partial class NodeConnector
{
    /// <summary>
    /// Waits until the topic's partitions are known and loads the node's committed offsets of all
    /// of them (the monitor compares nodes by them even while this node is down, and while another
    /// instance feeds some of them), waits until the node is up and set up, checks the node's
    /// offset marker, then assigns this instance's share from where the node really stands.
    /// </summary>
    /// <returns>The share's version that was assigned.</returns>
    private int AssignShare(IConsumer<Ignore, byte[]> consumer, CancellationToken cancellation)
    {
        while (!topic.WaitKnown(TimeSpan.FromMilliseconds(500), cancellation))
        {
            cancellation.ThrowIfCancellationRequested();
        }

        var version = share.Version;
        var own = (share.Partitions ?? []).ToHashSet();
        var all = (topic.Partitions ?? []).Select(p => new TopicPartition(options.Kafka.Topic, p)).ToList();
        var starts = LoadCommitted(consumer, all).Where(s => own.Contains(s.Key)).ToDictionary();

        // Consume nothing until the node can take it: a node down at start must not stop the others.
        resumed = false;
        // The health check first: a VictoriaMetrics node needs no set-up, so that alone would not notice it is down.
        while ((client.CheckHealthAsync(options.Monitor.CheckTimeout, cancellation).GetAwaiter().GetResult() ?? SetUpNode(cancellation)) is { } problem)
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
        assignedVersion = version;
        log($"{Node.Name}: feeding {(starts.Count == all.Count ? "all " + all.Count : starts.Count + " of " + all.Count)} partition(s) of {options.Kafka.Topic}, offsets kept in group {ConsumerGroup}");
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
        // Let go of every partition before taking the new share: the revoked ones may already
        // belong to another instance, which starts from the offsets just committed.
        consumer.Unassign();
        assignedVersion = share.Version;
        return AssignShare(consumer, cancellation);
    }

    /// <summary>
    /// With several instances: the committed offsets of the partitions other instances feed to
    /// this node, so that every instance judges the node by all of them.
    /// </summary>
    private void RefreshOthers(IConsumer<Ignore, byte[]> consumer)
    {
        var others = (topic.Partitions ?? []).Where(p => !tracker.IsTracked(p)).Select(p => new TopicPartition(options.Kafka.Topic, p)).ToList();
        if (others.Count == 0)
        {
            return;
        }

        List<TopicPartitionOffset> committed;
        try
        {
            committed = consumer.Committed(others, TimeSpan.FromSeconds(5));
        }
        catch (KafkaException)
        {
            return;
        }

        var view = new Dictionary<int, long>(committedView);
        foreach (var tpo in committed.Where(c => !c.Offset.IsSpecial))
        {
            view[tpo.Partition.Value] = tpo.Offset.Value;
        }

        committedView = view;
        Progressed?.Invoke();
    }
}
