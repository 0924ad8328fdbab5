using Confluent.Kafka;
using KafkaSync.Engine.Offsets;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Delivery bookkeeping of the idempotent mode without a closure per record. What a record needs
/// once delivered waits in a FIFO of its target partition (a lane), and one shared handler takes
/// the oldest entry of the reported partition. That pairing holds because an idempotent producer
/// writes each partition in produce order, librdkafka reports a partition's records in that
/// order, and Confluent.Kafka's poll thread runs the handlers one at a time. Nothing else may
/// serve reports: Flush runs handlers on its caller's thread as well, so <see cref="Drain"/>
/// waits for the poll thread instead. A report out of offset order fails the stage rather than
/// pairing wrongly. Records for Partition.Any (key placement) keep a handler each: their
/// partition is chosen by librdkafka, so no lane is known when they are produced.
/// </summary>
internal sealed partial class TargetProducer
{
    /// <summary>Lanes by target topic, then partition. Guarded by itself.</summary>
    private readonly Dictionary<string, List<DeliveryLane?>> _lanes = new(StringComparer.Ordinal);

    /// <summary>Records produced and not yet reported.</summary>
    private long _inFlight;

    private (TopicPartition Target, DeliveryLane Lane)? _produceLane;

    /// <summary>Used by the poll thread only: the lane of the last report.</summary>
    private (string Topic, int Partition, DeliveryLane Lane)? _reportLane;

    /// <summary>The one handler of every lane's reports (see the type's remarks).</summary>
    private Action<DeliveryReport<byte[]?, byte[]?>> LaneHandler(DeliveryTracker tracker, OffsetMapWriter map) =>
        report => OnDelivered(tracker, map, report);

    /// <summary>Produces one record of the idempotent mode and keeps what its delivery report needs.</summary>
    private void ProduceTracked(IProducer<byte[]?, byte[]?> producer, TopicPartition target, Message<byte[]?, byte[]?> message, in PendingDelivery pending, Action<DeliveryReport<byte[]?, byte[]?>> laneHandler, DeliveryTracker tracker, OffsetMapWriter map, CancellationToken stop)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (target.Partition == Partition.Any)
            {
                ProduceWithOwnHandler(producer, target, message, pending, tracker, map, stop);
                return;
            }

            var lane = ProduceLane(target);
            while (true)
            {
                // The lane is held across the produce call so the report cannot be handled before its
                // entry is in; never while waiting for room, or the reports that make room would wait.
                lock (lane)
                {
                    if (TryProduce(producer, target, message, laneHandler))
                    {
                        lane.Pending.Enqueue(pending);
                        return;
                    }
                }

                WaitForRoom(producer, stop);
            }
        }
        catch
        {
            // Not produced (stopped while waiting for room, or refused outright): no report will come.
            Interlocked.Decrement(ref _inFlight);
            throw;
        }
    }

    /// <summary>A separate method: a lambda capturing the parameters would allocate on every call of the caller.</summary>
    private void ProduceWithOwnHandler(IProducer<byte[]?, byte[]?> producer, TopicPartition target, Message<byte[]?, byte[]?> message, PendingDelivery pending, DeliveryTracker tracker, OffsetMapWriter map, CancellationToken stop) =>
        Produce(producer, target, message, report => Completed(tracker, map, pending, report), stop);

    private DeliveryLane ProduceLane(TopicPartition target)
    {
        // Placement hands out the same TopicPartition for a run of records of one partition.
        if (_produceLane is { } last && ReferenceEquals(last.Target, target))
        {
            return last.Lane;
        }

        var lane = Lane(target.Topic, target.Partition.Value, create: true)!;
        _produceLane = (target, lane);
        return lane;
    }

    private DeliveryLane? Lane(string topic, int partition, bool create)
    {
        lock (_lanes)
        {
            if (!_lanes.TryGetValue(topic, out var byPartition))
            {
                if (!create)
                {
                    return null;
                }

                _lanes[topic] = byPartition = [];
            }

            while (create && byPartition.Count <= partition)
            {
                byPartition.Add(null);
            }

            if (partition >= byPartition.Count)
            {
                return null;
            }

            return byPartition[partition] ??= create ? new DeliveryLane() : null;
        }
    }

    private void OnDelivered(DeliveryTracker tracker, OffsetMapWriter map, DeliveryReport<byte[]?, byte[]?> report)
    {
        var partition = report.Partition.Value;
        DeliveryLane? lane;
        if (_reportLane is { } last && last.Partition == partition && ReferenceEquals(last.Topic, report.Topic))
        {
            lane = last.Lane;
        }
        else
        {
            lane = Lane(report.Topic, partition, create: false);
            if (lane is not null)
            {
                _reportLane = (report.Topic, partition, lane);
            }
        }

        if (lane is null)
        {
            tracker.Failed(new AgentException($"A delivery report for {report.Topic}[{partition}] matched no produced record; the produced cursor stays where it is. Restart the agent."));
            return;
        }

        PendingDelivery pending;
        lock (lane)
        {
            if (!lane.Pending.TryDequeue(out pending))
            {
                tracker.Failed(new AgentException($"A delivery report for {report.Topic}[{partition}] matched no produced record; the produced cursor stays where it is. Restart the agent."));
                return;
            }

            if (!report.Error.IsError)
            {
                if (report.Offset.Value <= lane.LastOffset)
                {
                    tracker.Failed(new AgentException($"Delivery reports for {report.Topic}[{partition}] came out of produce order (offset {report.Offset.Value} after {lane.LastOffset}); the produced cursor stays where it is. Restart the agent."));
                    return;
                }

                lane.LastOffset = report.Offset.Value;
            }
        }

        Completed(tracker, map, pending, report);
    }

    private void Completed(DeliveryTracker tracker, OffsetMapWriter map, in PendingDelivery pending, DeliveryReport<byte[]?, byte[]?> report)
    {
        Interlocked.Decrement(ref _inFlight);
        if (report.Error.IsError)
        {
            tracker.Failed(new AgentException($"Kafka refused seq {pending.Seq} for {report.Topic}[{report.Partition.Value}]: {report.Error.Reason}. The produced cursor stays before it; fix the cause and restart the agent."));
            return;
        }

        // Into the map before the tracker: the cursor may pass this seq only once the map holds it.
        map.Record(pending.SourceTopic, pending.SourcePartition, pending.SourceOffset, report.Topic, report.Partition.Value, report.Offset.Value);
        tracker.Delivered(pending.Seq);
        _counters.AddOut(1);
        Count(pending.Counted);
    }

    /// <summary>
    /// Waits, up to the drain timeout, for the reports of every produced record. Not Flush: that
    /// would run handlers on this thread beside the poll thread (see the type's remarks). The
    /// linger is 5 ms, so nothing waits long to be sent.
    /// </summary>
    private void Drain(IProducer<byte[]?, byte[]?> producer)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Interlocked.Read(ref _inFlight) > 0 && waited.Elapsed < _options.DrainTimeout)
        {
            // With the background poll thread, Poll only waits for it to serve something.
            producer.Poll(TimeSpan.FromMilliseconds(50));
        }

        var left = Interlocked.Read(ref _inFlight);
        if (left > 0)
        {
            _log?.Report($"{left} record(s) were still in flight at stop; they are produced again on the next start (only exactly-once mode rules out a double then).");
        }
    }

    /// <summary>What a produced record's delivery needs: its seq, its source coordinates (for the offset map) and its counters.</summary>
    private readonly record struct PendingDelivery(long Seq, string SourceTopic, int SourcePartition, long SourceOffset, CountedRecord? Counted);

    /// <summary>The records of one target partition awaiting their reports, oldest first. Locked by itself.</summary>
    private sealed class DeliveryLane
    {
        public Queue<PendingDelivery> Pending { get; } = new();

        /// <summary>Offset of the last delivered record, to catch reports out of order.</summary>
        public long LastOffset { get; set; } = -1;
    }
}
