using Confluent.Kafka;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>What the connector does while its node is down: wait, retry, rewind, resume.</summary>
internal sealed partial class NodeConnector
{
    private void RideOutOutage(IConsumer<Ignore, byte[]> consumer, CancellationToken cancellation)
    {
        // Let every dispatched batch come back (the writers skip the queued ones), and commit
        // what was written before the failure so no finished work is repeated needlessly.
        while (batchesOut > 0)
        {
            completed.Wait(TimeSpan.FromMilliseconds(100), cancellation);
            DrainCompletions();
        }

        Commit(consumer);
        while (true)
        {
            cancellation.WaitHandle.WaitOne(settings.RetryInterval);
            cancellation.ThrowIfCancellationRequested();
            var problem = client.CheckHealthAsync(settings.RequestTimeout, cancellation).GetAwaiter().GetResult() ?? SetUpNode(cancellation);
            if (problem == null)
            {
                break;
            }

            log($"{Node.Name}: still down ({problem}); retrying in {Duration.Format(settings.RetryInterval)}");
        }

        // A node that crashed may have lost what it acknowledged just before: go back to where
        // each partition stood one safety window before the failure, and commit that, so the
        // node counts as behind until it has written everything again.
        var rewind = tracker.PositionsAt(outageStartedAt - settings.SafetyWindow);
        // A node that came back empty or from an old backup must go back further than that. It
        // is judged against what it was given (the committed offsets), not the rewind; only on the
        // partitions this instance feeds (another instance checks its own).
        foreach (var (partition, position) in CheckMarker(consumer, committedView.Where(p => tracker.IsTracked(p.Key)).ToDictionary(), rewind, cancellation))
        {
            rewind[partition] = Math.Min(position, rewind.GetValueOrDefault(partition, position));
        }

        markers.Begin();
        foreach (var (partition, position) in rewind)
        {
            tracker.Reset(partition, position);
            consumer.Seek(new TopicPartitionOffset(options.Kafka.Topic, partition, position));
        }

        CommitPositions(consumer, rewind.Select(p => (p.Key, p.Value)).ToList());
        log($"{Node.Name}: node is back; resuming from offsets {string.Join(", ", rewind.Select(p => $"{p.Key}:{p.Value}"))}");
        lock (completions)
        {
            outageReason = null;
            resumed = true;
            ResumedAt = DateTimeOffset.UtcNow;
        }

        Progressed?.Invoke();
    }
}
