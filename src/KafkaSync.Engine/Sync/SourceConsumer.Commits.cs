using Confluent.Kafka;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Pipelined durability: a batch's fsync runs while the next batch is consumed. A batch's offsets
/// reach Kafka (and the queued-offset map) only once its commit completed, in batch order, so the
/// rule "offsets after durability" holds while the consumer never waits on the disk.
/// </summary>
internal sealed partial class SourceConsumer
{
    private const int MaxCommitsInFlight = 4;
    private readonly Queue<InFlight> _inFlight = new();
    private Dictionary<TopicPartition, Offset> _batchHighest = [];
    private int _batchRecords;
    private long _batchBytes;
    private long _lastAppendedSeq;
    private long _appliedSeq;

    /// <summary>Starts the commit of the records appended since the last flush; their offsets follow once it completes.</summary>
    private void Flush(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (_batchRecords == 0)
        {
            return;
        }

        _inFlight.Enqueue(new InFlight(_queue.CommitAsync(CancellationToken.None).AsTask(), _lastAppendedSeq, _batchHighest, _batchRecords, _batchBytes));
        _batchHighest = [];
        _batchRecords = 0;
        _batchBytes = 0;
        if (_inFlight.Count > MaxCommitsInFlight)
        {
            ApplyCommitted(consumer, waitForAll: false, waitForOldest: true);
        }
    }

    /// <summary>Hands the offsets of every completed commit, oldest first, to Kafka and the queued-offset map.</summary>
    private void ApplyCommitted(IConsumer<byte[]?, byte[]?> consumer, bool waitForAll, bool waitForOldest = false)
    {
        while (_inFlight.TryPeek(out var oldest) && (oldest.Commit.IsCompleted || waitForAll || waitForOldest))
        {
            // A failed fsync throws here and stops the agent; those offsets never reach Kafka.
            WaitForCommit(oldest.Commit);
            _inFlight.Dequeue();
            waitForOldest = false;
            foreach (var (partition, offset) in oldest.Highest)
            {
                _offsets.Add(partition.Topic, partition.Partition.Value, offset.Value);
                try
                {
                    consumer.StoreOffset(new TopicPartitionOffset(partition, offset + 1));
                }
                catch (KafkaException)
                {
                    // The partition was unassigned meanwhile (its topic left the selection).
                }
            }

            _appliedSeq = Math.Max(_appliedSeq, oldest.LastSeq);
            _counters.AddIn(oldest.Records, oldest.Bytes);
        }
    }

    /// <summary>
    /// Waits for a commit. On a full disk the queue retries until there is room, so a stop asked
    /// meanwhile gives up waiting (OperationCanceledException) instead of waiting for the disk.
    /// </summary>
    private void WaitForCommit(Task<long> commit)
    {
        while (!commit.IsCompleted)
        {
            if (_stop.IsCancellationRequested && _queue.DiskFull is not null)
            {
                throw new OperationCanceledException(_stop);
            }

            ((IAsyncResult)commit).AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
        }

        commit.GetAwaiter().GetResult();
    }

    private void Checkpoint()
    {
        // Only seqs whose offsets are in the map: a commit still in flight is not included.
        if (_appliedSeq > _offsets.CheckpointSeq)
        {
            try
            {
                _offsets.Save(_queue, _appliedSeq);
            }
            catch (IOException ex) when (Queue.DiskSpace.IsFull(ex))
            {
                // The checkpoint only shortens the scan at the next start; the next one saves it.
            }
        }
    }

    private sealed record InFlight(Task<long> Commit, long LastSeq, Dictionary<TopicPartition, Offset> Highest, int Records, long Bytes);
}
