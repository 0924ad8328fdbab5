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
    /// <summary>Records produced and not yet reported, by seq. Guarded by itself.</summary>
    private readonly Dictionary<long, PendingDelivery> _pending = [];

    private (TopicPartition Target, IntPtr Topic)? _produceTopic;

    /// <summary>Produces one record of the idempotent mode, waiting while the producer's buffer is full.</summary>
    private void ProduceTracked(RawProducer producer, TopicPartition target, ReadOnlySpan<byte> payload, in SerializedRecord record, in PendingDelivery pending, CancellationToken stop)
    {
        // In before the produce call: the report may come before that call returns.
        lock (_pending)
        {
            _pending.Add(pending.Seq, pending);
        }

        try
        {
            Produce(producer, _arguments, target, payload, record, opaque: pending.Seq, stop);
        }
        catch (Exception ex)
        {
            // Not produced (stopped while waiting for room, or refused outright): no report will come.
            lock (_pending)
            {
                _pending.Remove(pending.Seq);
            }

            if (ex is KafkaException { Error.IsFatal: false } refused)
            {
                throw RefusedBeforeSending(pending.Seq, target, refused);
            }

            throw;
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
    private void Drain(RawProducer producer)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var seen = producer.Reports;
        TimeSpan remaining;
        while (InFlight > 0 && (remaining = _options.DrainTimeout - waited.Elapsed) > TimeSpan.Zero)
        {
            seen = producer.WaitForReportAfter(seen, remaining);
        }

        var left = InFlight;
        if (left > 0)
        {
            _log?.Report($"{left} record(s) were still in flight at stop; they are produced again on the next start (only exactly-once mode rules out a double then).");
        }
    }

    private int InFlight
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>What a produced record's report completes, in either mode: its seq, its source coordinates (for the offset map), its target topic and its counters.</summary>
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
