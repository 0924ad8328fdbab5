using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// Feeds one node from Kafka, keeping its progress in its own consumer group: checks and batches line protocol,
/// writes batches with several parallel HTTP writers, and commits a partition's offset only
/// when every earlier record of it is written or dead-lettered. On a node failure it reports
/// to the monitor, stops, retries after the interval, rewinds by the safety window and resumes.
/// </summary>
/// <remarks>
/// The Kafka consumer is used only by the consume thread (<see cref="RunAsync"/>); writers hand
/// finished batches back through <see cref="completions"/>.
/// </remarks>
internal sealed partial class NodeConnector
{
    /// <summary>How long the topic must stay quiet before a partial batch goes to an idle writer.</summary>
    private static readonly TimeSpan IdleFlush = TimeSpan.FromMilliseconds(5);

    /// <summary>Written offsets are committed at most this often (each commit is a broker round trip).</summary>
    private static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>With several instances, the offsets the others committed for this node are read this often.</summary>
    private static readonly TimeSpan OthersInterval = TimeSpan.FromMilliseconds(500);

    private readonly TsdbClusterOptions options;
    private readonly TsdbConnectorOptions settings;
    private readonly NodeClient client;
    private readonly DeadLetterSink deadLetters;
    private readonly Action<string, string> reportFailure;
    private readonly Action<string> log;
    private readonly ConcurrentQueue<(PointBatch Batch, bool Written)> completions = new();
    private readonly SemaphoreSlim completed = new(0);
    private readonly OffsetTracker tracker = new();
    private readonly PartitionShare share;
    private readonly PartitionShare topic;
    private volatile int assignedVersion = -1;
    private volatile bool stopped;
    private readonly OffsetMarker markers;
    private Channel<PointBatch> toWriters;
    private volatile Dictionary<int, long> committedView = [];
    private volatile Dictionary<int, long> endView = [];
    private volatile string? outageReason;
    private volatile bool resumed;
    private volatile bool offsetsLoaded;
    private volatile string? dataLoss;
    private long lostRecords;

    /// <summary>Partitions whose start came from a committed offset (only those can have been lost by the node).</summary>
    private readonly HashSet<int> hadCommit = [];
    private DateTime outageStartedAt;
    private AutoOffsetReset startPolicy;
    private int writersInFlight;
    private int batchesOut;
    private long pointsWritten;
    private long lastCommitTicks;
    private long deadLettered;
    private int lastBatchBytes = 64 << 10;
    private int lastBatchRecords = 256;

    /// <param name="options">The cluster.</param>
    /// <param name="node">The node this connector feeds.</param>
    /// <param name="client">The node's HTTP client.</param>
    /// <param name="topic">Every partition of the topic.</param>
    /// <param name="share">The partitions this instance feeds (the same object as <paramref name="topic"/> when it runs alone).</param>
    /// <param name="deadLetters">Where rejected records go.</param>
    /// <param name="reportFailure">Told (node, reason) when the node fails.</param>
    /// <param name="log">Receives a line per event.</param>
    public NodeConnector(TsdbClusterOptions options, TsdbNodeOptions node, NodeClient client, PartitionShare topic, PartitionShare share, DeadLetterSink deadLetters, Action<string, string> reportFailure, Action<string> log)
    {
        this.options = options;
        this.topic = topic;
        this.share = share;
        markers = new OffsetMarker(client, options.Name, options.Kafka.Topic, reason => EnterOutage(reason, "lost data: "));
        settings = options.Connector;
        Node = node;
        this.client = client;
        this.deadLetters = deadLetters;
        this.reportFailure = reportFailure;
        this.log = log;
        ConsumerGroup = options.ConsumerGroup(node.Name);
        toWriters = NewChannel();
    }

    public TsdbNodeOptions Node { get; }

    /// <summary>Called after each commit and on resuming, so the monitor can let a caught-up node back without waiting for its next check.</summary>
    public Action? Progressed { get; set; }

    public string ConsumerGroup { get; }

    /// <summary>True once the partitions are assigned and the connector is not in an outage.</summary>
    public bool Resumed => resumed;

    public IReadOnlyDictionary<int, long> CommittedOffsets => committedView;

    /// <summary>True when the connector holds no partition outside share version <paramref name="version"/> (or feeds nothing at all).</summary>
    public bool HasReleased(int version) => assignedVersion == version || !resumed || stopped;

    /// <summary>When the node last showed the marks this connector left (or was judged by its offset marker).</summary>
    public DateTime MarksVerifiedAt => markers.VerifiedAt;

    /// <summary>Has the node's marks checked at the next pass, whatever the interval.</summary>
    public void RequestMarkCheck() => markers.RequestCheck();

    /// <summary>When the connector last resumed: its node answered and was set up.</summary>
    public DateTimeOffset ResumedAt { get; private set; }

    /// <summary>True once the committed offsets of the share were read (the node may still be down).</summary>
    public bool OffsetsLoaded => offsetsLoaded;

    /// <summary>What the node is missing that the topic no longer holds, or null.</summary>
    public string? DataLoss => dataLoss;

    /// <summary>Records missing on the node that the topic no longer holds.</summary>
    public long LostRecords => Interlocked.Read(ref lostRecords);

    /// <summary>Called with a plain report when the node is found to have lost data.</summary>
    public Action<string>? DataLossFound { get; set; }

    /// <summary>When written offsets were last committed; null before the first commit.</summary>
    public DateTimeOffset? LastCommitAt => Interlocked.Read(ref lastCommitTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public long Lag
    {
        get
        {
            var committed = committedView;
            long lag = 0;
            foreach (var (partition, end) in endView)
            {
                lag += Math.Max(0, end - committed.GetValueOrDefault(partition));
            }

            return lag;
        }
    }

    public int Writers => Volatile.Read(ref writersInFlight);

    public long PointsWritten => Interlocked.Read(ref pointsWritten);

    public long DeadLettered => Interlocked.Read(ref deadLettered);

    /// <summary>Consumes and writes until <paramref name="cancellation"/> fires, then drains the writers and commits.</summary>
    public Task RunAsync(CancellationToken cancellation) =>
        Task.Factory.StartNew(() => Supervise(cancellation), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Restarts the consume loop from the committed offsets when Kafka or the local disk fails it.</summary>
    private void Supervise(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                ConsumeLoop(cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is KafkaException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                resumed = false;
                log($"{Node.Name}: connector failed, restarting from the committed offsets in {Configuration.Duration.Format(settings.RetryInterval)}: {ex.Message}");
                reportFailure(Node.Name, "connector failed: " + ex.Message);
                cancellation.WaitHandle.WaitOne(settings.RetryInterval);
            }
        }
    }

    private Channel<PointBatch> NewChannel() =>
        Channel.CreateBounded<PointBatch>(new BoundedChannelOptions(settings.Writers) { SingleWriter = true });

    private void ConsumeLoop(CancellationToken cancellation)
    {
        var config = KafkaClients.Consumer(options.Kafka.BootstrapServers, ConsumerGroup);
        config.FetchWaitMaxMs = 50;
        // Only the timestamp is needed (for dead letters); topic names and headers are not marshalled per record.
        config.ConsumeResultFields = "timestamp";
        foreach (var (key, value) in options.Kafka.Consumer)
        {
            config.Set(key, value);
        }

        startPolicy = config.Get("auto.offset.reset") switch
        {
            "earliest" or "smallest" or "beginning" => AutoOffsetReset.Earliest,
            "latest" or "largest" or "end" or null => AutoOffsetReset.Latest,
            _ => AutoOffsetReset.Error,
        };
        toWriters = NewChannel();
        completions.Clear();
        batchesOut = 0;
        outageReason = null;
        var kafkaErrors = new RepeatedErrorFilter(log);
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config)
            .SetErrorHandler((_, error) => kafkaErrors.Report($"{Node.Name}: Kafka: {error.Reason}"))
            .SetLogHandler((_, _) => { })
            .Build();
        var writers = Enumerable.Range(0, settings.Writers).Select(_ => Task.Run(() => WriterLoopAsync(cancellation), CancellationToken.None)).ToArray();
        var batch = new PointBatch(lastBatchBytes, lastBatchRecords);
        var lastCommit = DateTime.MinValue;
        var lastEnds = DateTime.MinValue;
        var lastOthers = DateTime.MinValue;
        try
        {
            // Assigned, not subscribed: the group only keeps this node's offsets. A member of it would
            // make every start wait for a rebalance, and a restart for the old member's session to end.
            var shareVersion = AssignShare(consumer, cancellation);
            while (!cancellation.IsCancellationRequested)
            {
                if (outageReason != null)
                {
                    batch = new PointBatch(lastBatchBytes, lastBatchRecords);
                    RideOutOutage(consumer, cancellation);
                    continue;
                }

                if (share.Version != shareVersion)
                {
                    shareVersion = Reassign(consumer, batch, cancellation);
                    batch = new PointBatch(lastBatchBytes, lastBatchRecords);
                    continue;
                }

                // One clock read per pass: this loop runs once per record.
                var now = DateTime.UtcNow;
                // Commit at least every interval, and at once when the last batch out came back
                // with nothing left to send: the offsets then stand where the data does.
                if ((DrainCompletions() && batchesOut == 0 && batch.IsEmpty) || now - lastCommit > CommitInterval)
                {
                    Commit(consumer);
                    lastCommit = now;
                }

                if (now - lastEnds > TimeSpan.FromMilliseconds(250))
                {
                    RefreshEnds(consumer);
                    lastEnds = now;
                }

                markers.OnPass(now, committedView, cancellation);
                if (!ReferenceEquals(share, topic) && now - lastOthers > OthersInterval)
                {
                    RefreshOthers(consumer);
                    lastOthers = now;
                }

                if (!batch.IsEmpty && (batch.Points >= settings.BatchPoints || batch.Bytes >= settings.BatchBytes || now - batch.StartedAt >= settings.Linger))
                {
                    Dispatch(batch, cancellation);
                    batch = new PointBatch(lastBatchBytes, lastBatchRecords);
                }

                // With batches out, wake up soon enough to see them come back and commit them.
                var wait = !batch.IsEmpty ? Min(settings.Linger - (now - batch.StartedAt), IdleFlush)
                    : batchesOut > 0 ? IdleFlush
                    : TimeSpan.FromMilliseconds(100);
                var result = consumer.Consume(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
                if (result?.Message == null)
                {
                    // Every partition is read to its end: a free writer may as well send what is
                    // there. (A mere pause between fetches is no reason: small batches cost the node.)
                    if (!batch.IsEmpty && batchesOut < settings.Writers && ReadToEnd(consumer))
                    {
                        Dispatch(batch, cancellation);
                        batch = new PointBatch(lastBatchBytes, lastBatchRecords);
                    }

                    continue;
                }

                if (!tracker.IsTracked(result.Partition.Value))
                {
                    continue;
                }

                Accept(result, batch);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        finally
        {
            toWriters.Writer.TryComplete();
            Task.WaitAll(writers, TimeSpan.FromSeconds(30));
            DrainCompletions();
            Commit(consumer);
            if (outageReason == null)
            {
                // A clean stop leaves the marker where the offsets are: the next start replays nothing.
                markers.MarkNow(committedView);
            }

            consumer.Close();
            stopped = cancellation.IsCancellationRequested;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Creates the database and retention policy on the node (idempotent); null when done, else why not.</summary>
    private string? SetUpNode(CancellationToken cancellation)
    {
        try
        {
            client.EnsureDatabaseAsync(cancellation).GetAwaiter().GetResult();
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException || (ex is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            return "setup failed: " + ex.Message;
        }
    }

    private void Accept(ConsumeResult<Ignore, byte[]> result, PointBatch batch)
    {
        var value = result.Message.Value ?? [];
        var (partition, offset, timestamp) = (result.Partition.Value, result.Offset.Value, result.Message.Timestamp.UnixTimestampMs);
        byte[] lines = value;
        string? error;
        int points;
        if (settings.Format == TsdbRecordFormat.Json)
        {
            (var converted, error) = JsonPoints.Convert(value, options.Influx.Precision);
            points = 0;
            error = error == null ? null : "invalid JSON point: " + error;
            if (converted != null)
            {
                lines = Encoding.UTF8.GetBytes(converted);
                (points, error) = LineProtocol.Check(lines);
            }
        }
        else
        {
            (points, error) = LineProtocol.Check(value);
            error = error == null ? null : "invalid line protocol: " + error;
        }

        tracker.Register(partition, offset);
        if (error != null)
        {
            // Offsets before it may still be in flight: the tracker keeps the commit behind them.
            if (KeepDeadLetter(new ReceivedRecord(options.Kafka.Topic, partition, offset, timestamp, value), error))
            {
                tracker.Complete(partition, offset);
            }

            return;
        }

        batch.Add(partition, offset, timestamp, lines, points, ReferenceEquals(lines, value) ? null : value);
    }

    /// <summary>
    /// Keeps a dead letter; when that fails (disk full, topic unreachable) the record stays
    /// uncommitted and the connector pauses and retries as for a node failure.
    /// </summary>
    private bool KeepDeadLetter(ReceivedRecord record, string reason)
    {
        try
        {
            deadLetters.Write(Node.Name, record, reason);
            Interlocked.Increment(ref deadLettered);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or KafkaException)
        {
            EnterOutage($"cannot keep a dead letter ({ex.Message}); the record stays uncommitted");
            return false;
        }
    }

    private void Dispatch(PointBatch batch, CancellationToken cancellation)
    {
        batchesOut++;
        lastBatchBytes = batch.Bytes;
        lastBatchRecords = batch.Count;
        while (!toWriters.Writer.TryWrite(batch))
        {
            // Every writer is busy: stop consuming until one finishes (backpressure, not buffering).
            completed.Wait(TimeSpan.FromMilliseconds(100), cancellation);
            DrainCompletions();
        }
    }
}
