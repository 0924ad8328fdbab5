using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Delivery bookkeeping of the idempotent mode. Each record is produced with its seq as the
/// delivery report's opaque, and what the report needs waits under that seq until it comes, so a
/// report can only ever complete its own record, whatever the order across partitions (and for
/// records placed by key, whose partition librdkafka picks).
/// </summary>
internal sealed partial class TargetProducer
{
    /// <summary>Records produced and not yet reported, by seq. Guarded by itself, as are the two counts below.</summary>
    private readonly Dictionary<long, PendingDelivery> _pending = [];

    /// <summary>Reports handled so far: the producing thread waits for this to move.</summary>
    private long _reports;

    /// <summary>Threads in Monitor.Wait on <see cref="_pending"/>: a report pulses them only then.</summary>
    private int _waiters;

    private (TopicPartition Target, IntPtr Topic)? _produceTopic;

    /// <summary>Produces one record of the idempotent mode, waiting while the producer's buffer is full.</summary>
    private void ProduceTracked(RawProducer producer, TopicPartition target, ReadOnlySpan<byte> payload, in SerializedRecord record, in PendingDelivery pending, CancellationToken stop)
    {
        var topic = ProduceTopic(producer, target);
        long seen;
        // In before the produce call: the report may come before that call returns.
        lock (_pending)
        {
            _pending.Add(pending.Seq, pending);
            seen = _reports;
        }

        try
        {
            // Partition.Any is librdkafka's "unassigned" (-1): its partitioner places by key.
            while (!_arguments.TryProduce(producer, topic, target.Partition.Value, payload, record, pending.Seq))
            {
                // The buffer is full: only a report makes room.
                _counters.Note = "target cluster slow or down";
                seen = WaitForReportAfter(seen, TimeSpan.FromMilliseconds(100));
                stop.ThrowIfCancellationRequested();
            }
        }
        catch (Exception ex)
        {
            // Not produced (stopped while waiting for room, or refused outright): no report will come.
            lock (_pending)
            {
                _pending.Remove(pending.Seq);
            }

            if (ex is KafkaException refused)
            {
                throw new AgentException($"The target producer refused seq {pending.Seq} for {target.Topic}[{target.Partition.Value}] before sending it: {refused.Error.Reason}. The produced cursor stays before it; fix the cause (for a record too large: raise kafka.settings message.max.bytes, and the target topic's max.message.bytes) and restart the agent.", refused);
            }

            throw;
        }
    }

    private IntPtr ProduceTopic(RawProducer producer, TopicPartition target)
    {
        // Placement hands out the same TopicPartition for a run of records of one partition.
        if (_produceTopic is { } last && ReferenceEquals(last.Target, target))
        {
            return last.Topic;
        }

        var topic = producer.Topic(target.Topic);
        _produceTopic = (target, topic);
        return topic;
    }

    /// <summary>Waits until a report after the <paramref name="seen"/>th was handled, or the timeout; returns the count now.</summary>
    private long WaitForReportAfter(long seen, TimeSpan timeout)
    {
        lock (_pending)
        {
            if (_reports == seen)
            {
                Wait(timeout);
            }

            return _reports;
        }
    }

    /// <summary>Monitor.Wait on <see cref="_pending"/>, counted so reports know to pulse. Hold the lock.</summary>
    private void Wait(TimeSpan timeout)
    {
        _waiters++;
        try
        {
            Monitor.Wait(_pending, timeout);
        }
        finally
        {
            _waiters--;
        }
    }

    private void OnDelivered(DeliveryTracker tracker, OffsetMapWriter map, in Delivery report)
    {
        PendingDelivery pending;
        lock (_pending)
        {
            if (!_pending.Remove(report.Opaque, out pending))
            {
                tracker.Failed(new AgentException($"A delivery report for seq {report.Opaque} matched no produced record; the produced cursor stays where it is. Restart the agent."));
                return;
            }

            _reports++;
            if (_waiters > 0)
            {
                Monitor.PulseAll(_pending);
            }
        }

        if (report.Error != ErrorCode.NoError)
        {
            tracker.Failed(new AgentException($"Kafka refused seq {pending.Seq} for {pending.TargetTopic}[{report.Partition}]: {report.Error.GetReason()}. The produced cursor stays before it; fix the cause and restart the agent."));
            return;
        }

        // Into the map before the tracker: the cursor may pass this seq only once the map holds it.
        map.Record(pending.SourceTopic, pending.SourcePartition, pending.SourceOffset, pending.TargetTopic, report.Partition, report.Offset);
        tracker.Delivered(pending.Seq);
        _counters.AddOut(1);
        Count(pending.Counted);
    }

    /// <summary>Waits, up to the drain timeout, for the reports of every produced record. The linger is 5 ms, so nothing waits long to be sent.</summary>
    private void Drain()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        int left;
        lock (_pending)
        {
            TimeSpan remaining;
            while (_pending.Count > 0 && (remaining = _options.DrainTimeout - waited.Elapsed) > TimeSpan.Zero)
            {
                Wait(remaining);
            }

            left = _pending.Count;
        }

        if (left > 0)
        {
            _log?.Report($"{left} record(s) were still in flight at stop; they are produced again on the next start (only exactly-once mode rules out a double then).");
        }
    }

    /// <summary>What a produced record's delivery needs: its seq, its source coordinates (for the offset map), its target topic and its counters.</summary>
    private readonly record struct PendingDelivery(long Seq, string SourceTopic, int SourcePartition, long SourceOffset, string TargetTopic, CountedRecord? Counted);

    /// <summary>The producer's reports, handed to the stage.</summary>
    private sealed class Reports(TargetProducer stage, DeliveryTracker tracker, OffsetMapWriter map) : IProducerEvents
    {
        public void Delivered(in Delivery delivery) => stage.OnDelivered(tracker, map, delivery);

        public void Error(Error error) => stage.OnClientError(error);

        public void Log(SyslogLevel level, string facility, string message) => stage.OnClientLog(level, facility, message);

        public void Failed(Exception exception) =>
            tracker.Failed(new AgentException($"Handling a delivery report failed ({exception.Message}); the produced cursor stays where it is. Restart the agent.", exception));
    }
}
