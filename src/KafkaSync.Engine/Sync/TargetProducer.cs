using System.Diagnostics;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// The target agent's last stage: reads the target queue in seq order and produces every record
/// to the target cluster with an idempotent producer (per-partition order survives retries),
/// a librdkafka producer of our own fed straight from the queue's bytes (see RawProducer and
/// ProduceArguments); exactly-once mode makes it transactional. The queue's "producer" cursor moves only over seqs that were all delivered. While the target
/// cluster is down, librdkafka keeps retrying (no message timeout) and its bounded buffer makes
/// this stage wait; the link keeps filling the queue meanwhile.
/// </summary>
internal sealed partial class TargetProducer
{
    public const string CursorName = "producer";
    private static readonly TimeSpan CursorEvery = TimeSpan.FromMilliseconds(100);

    private readonly TargetAgentOptions _options;
    private readonly DiskQueue _queue;
    private readonly AgentCounters _counters;
    private readonly IProgress<string>? _log;
    private readonly RepeatedErrorFilter _kafkaReports;
    private DeliveryTracker? _tracker;
    private OffsetMapWriter? _map;

    /// <summary>The produce arguments of every record (see <see cref="ProduceArguments"/>).</summary>
    private readonly ProduceArguments _arguments;

    /// <summary>Those of the exactly-once checkpoint, which never carries provenance headers.</summary>
    private readonly ProduceArguments _plainArguments = new(provenanceCluster: null, provenance: false);

    public TargetProducer(TargetAgentOptions options, DiskQueue queue, AgentCounters counters, IProgress<string>? log)
    {
        _options = options;
        _queue = queue;
        _counters = counters;
        _log = log;
        _kafkaReports = new RepeatedErrorFilter(line => _log?.Report(line));
        _arguments = new ProduceArguments(options.SourceClusterName, options.ProvenanceHeaders);
    }

    /// <summary>Highest seq delivered with nothing missing beneath it.</summary>
    public long DoneSeq => _tracker?.DoneSeq ?? _queue.GetCursor(CursorName);

    /// <summary>The offset map as of its last durable flush; empty until the producer started.</summary>
    public OffsetMap OffsetMap => Volatile.Read(ref _map)?.Published ?? OffsetMap.Empty;

    /// <summary>Runs until <paramref name="stop"/> is cancelled (then drains) or a permanent failure.</summary>
    public void Run(CancellationToken stop)
    {
        if (_options.ExactlyOnce)
        {
            RunTransactional(stop);
        }
        else
        {
            RunIdempotent(stop);
        }
    }

    private void RunIdempotent(CancellationToken stop)
    {
        var config = ProducerConfig();
        config.EnableIdempotence = true;
        // No timeout: a target outage of any length is waited out, never turned into loss.
        config.MessageTimeoutMs = 0;
        // A missing cursor file reads as 0: start from the oldest record held.
        var tracker = _tracker = new DeliveryTracker(Math.Max(_queue.GetCursor(CursorName), _queue.FirstSeq - 1));
        using var map = _map = OffsetMapWriter.Open(_options.Queue.Path, long.MaxValue);
        using var producer = new RawProducer(config, new Reports(this, tracker, map));
        using var admin = QuietAdminClient();
        var placement = new TopicPlacement(_options, admin, _counters, _log);
        using var reader = _queue.OpenReader(tracker.DoneSeq + 1);
        var expected = reader.NextSeq;
        var lastCursor = Stopwatch.StartNew();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (tracker.Failure is { } failure)
                {
                    throw failure;
                }

                // Stop is checked before a read: a record taken from the reader must be produced,
                // or the gap check below would count it as lost and the cursor would pass it.
                while (!stop.IsCancellationRequested && reader.TryReadBorrowed(out var queued))
                {
                    var payload = queued.Payload.Span;
                    var record = SerializedRecord.Read(payload);
                    var seq = queued.Seq;
                    if (seq != expected)
                    {
                        // The reader passed over lost seqs: the cursor must be able to pass them too.
                        tracker.Skipped(expected, seq - 1);
                    }

                    expected = seq + 1;
                    if (TopicDescriptor.IsDescriptor(record))
                    {
                        var (topic, partitions) = TopicDescriptor.Read(record);
                        placement.Describe(topic, partitions);
                        tracker.Delivered(seq);
                        continue;
                    }

                    var sourceTopic = Utf8Interner.GetString(record.Topic);
                    var target = placement.Place(sourceTopic, record.Partition, stop);
                    var pending = new PendingDelivery(seq, sourceTopic, record.Partition, record.Offset, target.Topic, Counted(target, record));
                    ProduceTracked(producer, target, payload, record, pending, stop);
                    if (lastCursor.Elapsed >= CursorEvery)
                    {
                        Advance(tracker, map);
                        lastCursor.Restart();
                    }
                }

                if (reader.NextSeq > expected)
                {
                    tracker.Skipped(expected, reader.NextSeq - 1);
                    expected = reader.NextSeq;
                }

                Advance(tracker, map);
                WaitForRecords(reader, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Clean stop: drain below.
        }
        finally
        {
            Drain(producer);
            Advance(tracker, map);
        }

        if (tracker.Failure is { } late)
        {
            throw late;
        }
    }

    /// <summary>Moves the cursor to the delivered seqs, after the offset map holding them is durable.</summary>
    private void Advance(DeliveryTracker tracker, OffsetMapWriter map)
    {
        var done = tracker.DoneSeq;
        if (done > _queue.GetCursor(CursorName))
        {
            try
            {
                map.Flush(done, pending: false);
                MoveCursor(done);
            }
            catch (IOException ex) when (DiskSpace.IsFull(ex))
            {
                // The cursor stays where it was until the map and cursor fit on the disk again;
                // the queue's status note says so. Records keep being produced meanwhile.
            }
        }
    }

    private void MoveCursor(long done)
    {
        if (done > _queue.GetCursor(CursorName))
        {
            try
            {
                _queue.SetCursor(CursorName, done);
            }
            catch (IOException ex) when (DiskSpace.IsFull(ex))
            {
                // Saved at the next move; until then a restart produces from the older cursor
                // (exactly-once mode: from its checkpoint in Kafka, which is what counts there).
            }
        }
    }

    private static void WaitForRecords(QueueReader reader, CancellationToken stop)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
        wait.CancelAfter(CursorEvery);
        try
        {
            reader.WaitToReadAsync(wait.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // Woke to move the cursor; go round again.
        }
    }
}
