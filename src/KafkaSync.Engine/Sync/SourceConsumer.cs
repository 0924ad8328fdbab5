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
    private static readonly TimeSpan PauseRetry = TimeSpan.FromMilliseconds(250);

    private readonly SourceAgentOptions _options;
    private readonly DiskQueue _queue;
    private readonly AgentCounters _counters;
    private readonly IProgress<string>? _log;
    private readonly QueuedOffsets _offsets;
    private readonly List<Pending> _batch = [];
    private readonly Dictionary<string, int> _partitionCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _announced = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _subscription = [];

    public SourceConsumer(SourceAgentOptions options, DiskQueue queue, AgentCounters counters, IProgress<string>? log)
    {
        _options = options;
        _queue = queue;
        _counters = counters;
        _log = log;
        _offsets = QueuedOffsets.Load(queue, options.Queue.Path);
        if (_offsets.ScannedRecords > 0)
        {
            _log?.Report($"Rebuilt queued offsets from the checkpoint at seq {_offsets.CheckpointSeq} and {_offsets.ScannedRecords} later record(s).");
        }
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled (then drains) or a fatal error.</summary>
    public void Run(CancellationToken stop)
    {
        var settings = _options.Kafka.ToClientSettings("kafka");
        using var admin = new AdminClientBuilder(settings).SetLogHandler(OnLog).Build();
        _subscription = ResolveTopics(admin, fatal: true);
        AnnounceTopics(stop);
        using var consumer = BuildConsumer(settings);
        if (_subscription.Count > 0)
        {
            consumer.Subscribe(_subscription);
        }

        _log?.Report($"Consuming {string.Join(", ", _subscription)} as group '{_options.EffectiveGroupId}'.");
        var lastCheckpoint = Stopwatch.StartNew();
        var lastRefresh = Stopwatch.StartNew();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = _subscription.Count == 0
                    ? Idle(stop)
                    : consumer.Consume(_batch.Count == 0 ? TimeSpan.FromMilliseconds(100) : TimeSpan.Zero);
                if (result is not null)
                {
                    Take(result);
                }

                if (_batch.Count >= _options.MaxBatchRecords || (result is null && _batch.Count > 0))
                {
                    Flush(consumer, stop);
                }

                if (lastCheckpoint.Elapsed >= CheckpointEvery)
                {
                    Checkpoint();
                    lastCheckpoint.Restart();
                }

                if (_options.Topics.Include is not null && lastRefresh.Elapsed >= _options.TopicRefreshInterval)
                {
                    Refresh(admin, consumer);
                    lastRefresh.Restart();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping while waiting for queue capacity: what was appended is flushed below.
        }
        finally
        {
            Flush(consumer, CancellationToken.None, waitForCapacity: false);
            Checkpoint();
            // Close commits the stored offsets (all durable) and leaves the group at once.
            consumer.Close();
        }
    }

    private static ConsumeResult<byte[]?, byte[]?>? Idle(CancellationToken stop)
    {
        stop.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
        return null;
    }

    private void Take(ConsumeResult<byte[]?, byte[]?> result)
    {
        if (_offsets.Holds(result.Topic, result.Partition.Value, result.Offset.Value))
        {
            _counters.AddSkipped(1);
            return;
        }

        var record = RecordMapping.FromConsumed(result);
        _batch.Add(new Pending(result.TopicPartitionOffset, KafkaRecordSerializer.Serialize(record)));
    }

    private void Flush(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stop, bool waitForCapacity = true)
    {
        if (_batch.Count == 0)
        {
            return;
        }

        var appended = 0;
        try
        {
            while (appended < _batch.Count && _queue.TryAppend(_batch[appended].Payload, out _))
            {
                appended++;
            }

            if (appended < _batch.Count && waitForCapacity)
            {
                appended += WaitForCapacity(consumer, appended, stop);
            }
        }
        finally
        {
            Complete(consumer, appended);
        }
    }

    private int WaitForCapacity(IConsumer<byte[]?, byte[]?> consumer, int from, CancellationToken stop)
    {
        var paused = consumer.Assignment;
        consumer.Pause(paused);
        _counters.Note = "queue full";
        _log?.Report("Queue full: consumption paused until the link frees space.");
        var appended = 0;
        try
        {
            while (from + appended < _batch.Count)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                wait.CancelAfter(PauseRetry);
                try
                {
                    _queue.AppendAsync(_batch[from + appended].Payload, wait.Token).AsTask().GetAwaiter().GetResult();
                    appended++;
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // Poll while paused so the group keeps us; paused partitions deliver nothing,
                    // but a partition assigned meanwhile may.
                    var result = consumer.Consume(TimeSpan.Zero);
                    if (result is not null)
                    {
                        Take(result);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return appended;
        }
        finally
        {
            consumer.Resume(paused);
            _counters.Note = "";
        }

        return appended;
    }

    private void Complete(IConsumer<byte[]?, byte[]?> consumer, int appended)
    {
        if (appended == 0)
        {
            _batch.Clear();
            return;
        }

        // Durable first: only then may Kafka learn that these offsets are done.
        _queue.CommitAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        long bytes = 0;
        for (var i = 0; i < appended; i++)
        {
            var tpo = _batch[i].Position;
            _offsets.Add(tpo.Topic, tpo.Partition.Value, tpo.Offset.Value);
            bytes += _batch[i].Payload.Length;
            try
            {
                consumer.StoreOffset(new TopicPartitionOffset(tpo.TopicPartition, tpo.Offset + 1));
            }
            catch (KafkaException)
            {
                // The partition was revoked meanwhile; its new owner starts from the committed
                // offset and our queued-offset map skips what we already hold if it comes back.
            }
        }

        _counters.AddIn(appended, bytes);
        _batch.RemoveRange(0, appended);
        _batch.Clear();
    }

    private void Checkpoint()
    {
        var durable = _queue.DurableSeq;
        if (durable > _offsets.CheckpointSeq)
        {
            _offsets.Save(_queue, durable);
        }
    }

    private sealed record Pending(TopicPartitionOffset Position, byte[] Payload);
}
