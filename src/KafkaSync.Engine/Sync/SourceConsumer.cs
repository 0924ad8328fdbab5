using System.Buffers;
using System.Diagnostics;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// The source agent's first stage: consumes the selected topics and appends every record to the
/// source queue. Offsets are stored for Kafka's auto-commit only after the batch holding them is
/// durable, and records the queue already holds are skipped, so a crash at any point neither
/// loses nor doubles a record. While the queue is full, the partitions are paused (the consumer
/// keeps polling so the group does not evict it).
/// </summary>
internal sealed partial class SourceConsumer
{
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);

    /// <summary>How long an append waits for the queue's write buffer before treating the queue as full.</summary>
    private static readonly TimeSpan WriteBufferWait = TimeSpan.FromSeconds(1);

    private readonly SourceAgentOptions _options;
    private readonly DiskQueue _queue;
    private readonly AgentCounters _counters;
    private readonly IProgress<string>? _log;
    private readonly RepeatedErrorFilter _kafkaReports;
    private readonly QueuedOffsets _offsets;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 << 10);
    private readonly HashSet<TopicPartition> _assigned = [];
    private readonly Dictionary<string, int> _partitionCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _announced = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _subscription = [];
    private CancellationToken _stop;

    public SourceConsumer(SourceAgentOptions options, DiskQueue queue, AgentCounters counters, IProgress<string>? log)
    {
        _options = options;
        _queue = queue;
        _counters = counters;
        _log = log;
        _kafkaReports = new RepeatedErrorFilter(line => _log?.Report(line));
        _offsets = QueuedOffsets.Load(queue, options.Queue.Path);
        if (_offsets.ScannedRecords > 0)
        {
            _log?.Report($"Rebuilt queued offsets from the checkpoint at seq {_offsets.CheckpointSeq} and {_offsets.ScannedRecords} later record(s).");
        }
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled (then drains) or a fatal error.</summary>
    public void Run(CancellationToken stop)
    {
        _stop = stop;
        // The first client of the process pins the bundled librdkafka; without it a host with
        // its own librdkafka (e.g. Debian's 2.0) binds that one and refuses our settings.
        Kafka.KafkaClients.EnsureLoaded();
        var settings = _options.Kafka.ToClientSettings("kafka");
        using var consumer = BuildConsumer(settings);
        // Its metadata requests fill the consumer's own cache, so assigned partitions know their
        // leaders and fetch at once (see OpenAdmin). Declared after the consumer: disposed first.
        using var admin = OpenAdmin(consumer);
        using var raw = new RawConsumer(consumer);
        _subscription = ResolveTopics(admin, fatal: true);
        AnnounceTopics(stop);
        UpdateAssignment(consumer);
        _log?.Report($"Consuming {string.Join(", ", _subscription)} ({_assigned.Count} partitions), offsets kept in group '{_options.EffectiveGroupId}'.");
        var lastCheckpoint = Stopwatch.StartNew();
        var lastRefresh = Stopwatch.StartNew();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var took = _assigned.Count == 0 ? Idle(stop) : raw.Poll(_batchRecords == 0 ? 100 : 0);
                if (took)
                {
                    Take(consumer, raw, stop);
                    raw.Release();
                }

                if (_batchRecords >= _options.MaxBatchRecords || (!took && _batchRecords > 0))
                {
                    Flush(consumer);
                }

                ApplyCommitted(consumer, waitForAll: false);

                if (lastCheckpoint.Elapsed >= CheckpointEvery)
                {
                    Checkpoint();
                    lastCheckpoint.Restart();
                }

                if (lastRefresh.Elapsed >= _options.TopicRefreshInterval)
                {
                    ApplyCommitted(consumer, waitForAll: true);
                    Refresh(admin, consumer);
                    lastRefresh.Restart();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while waiting for queue capacity: what was appended is committed below.
        }
        finally
        {
            // librdkafka's consumer must not close with a message of its still held.
            raw.Release();
            try
            {
                Flush(consumer);
                ApplyCommitted(consumer, waitForAll: true);
            }
            catch (OperationCanceledException)
            {
                // Stopped while the disk is full: records not yet durable keep their offsets
                // uncommitted, so the next start reads them again (and skips any the queue holds).
                _log?.Report($"Stopped while the queue's disk is full: records after seq {_appliedSeq} were not made durable; their offsets stay uncommitted and are read again on the next start.");
            }

            Checkpoint();
            CommitStored(consumer);
            consumer.Close();
        }
    }

    private static bool Idle(CancellationToken stop)
    {
        stop.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
        return false;
    }

    /// <summary>Appends the current record to the queue (not yet durable: see <see cref="Flush"/>).</summary>
    private void Take(IConsumer<byte[]?, byte[]?> consumer, RawConsumer raw, CancellationToken stop)
    {
        var topic = raw.Topic;
        var (partition, offset) = (raw.Partition, raw.Offset);
        if (_offsets.Holds(topic.Name, partition, offset))
        {
            _counters.AddSkipped(1);
            return;
        }

        _buffer.ResetWrittenCount();
        raw.Serialize(_buffer);
        if (!_queue.TryAppend(_buffer.WrittenSpan, out var seq))
        {
            seq = WaitForCapacity(consumer, _buffer.WrittenMemory, stop);
        }

        if (_lastAppendedSeq == 0 && _log is not null)
        {
            _log.Report($"First record queued: {topic.Name}[{partition}] offset {offset} as seq {seq}.");
        }

        _lastAppendedSeq = seq;
        if (_counters.Traffic is { } traffic)
        {
            traffic.Count(traffic.For(topic.Name, partition), raw.PayloadBytes, raw.Timestamp);
        }

        _batchHighest[topic.Partition(partition)] = offset;
        _batchRecords++;
        _batchBytes += _buffer.WrittenCount;
    }

    /// <summary>
    /// The queue is full: pause every partition (so nothing more is fetched and memory stays flat)
    /// until the link frees space. With direct assignment there is no group to be evicted from.
    /// When only the queue's write buffer is full (the consumer outran the disk), wait for the
    /// flusher instead, briefly, without pausing or reporting a full queue.
    /// </summary>
    private long WaitForCapacity(IConsumer<byte[]?, byte[]?> consumer, ReadOnlyMemory<byte> payload, CancellationToken stop)
    {
        if (_queue.DiskFull is null && _queue.HasRoomFor(payload.Length))
        {
            using var brief = CancellationTokenSource.CreateLinkedTokenSource(stop);
            brief.CancelAfter(WriteBufferWait);
            try
            {
                return _queue.AppendAsync(payload, brief.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                // Still no room: the queue filled up meanwhile, or the disk is slow; as below.
            }
        }

        // The link reads only durable records: commit what is appended, or nothing could ever
        // be sent and retired to make room.
        // The checkpoint's cursor must not hold back retention either.
        Flush(consumer);
        ApplyCommitted(consumer, waitForAll: true);
        Checkpoint();
        var paused = consumer.Assignment;
        consumer.Pause(paused);
        var (note, report) = _queue.DiskFull is not null
            ? ("queue's disk full", "Queue's disk full: consumption paused until the queue can write again.")
            : _queue.HasRoomFor(payload.Length)
                ? ("queue's disk behind", "Queue's disk behind: its write buffer did not drain in a second; consumption paused until it does.")
                : ("queue full", "Queue full: consumption paused until the link frees space.");
        _counters.Note = note;
        _log?.Report(report);
        try
        {
            return _queue.AppendAsync(payload, stop).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            consumer.Resume(paused);
            _counters.Note = "";
        }
    }

}
