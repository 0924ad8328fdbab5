using KafkaSync.Engine.Link;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Sync;
using Prometheus;

namespace KafkaSync.Engine.Metrics;

/// <summary>
/// The metrics of one source or target agent: the agent, its queue, its side of the link and its
/// Kafka traffic per topic-partition. Every value but the per-partition counts and the two latency
/// histograms is read at scrape time from the status the agent already keeps.
/// </summary>
internal sealed partial class AgentMetrics
{
    private readonly Func<AgentStatus> _status;
    private readonly Func<LinkStatus?> _link;
    private readonly DiskQueue _queue;
    private readonly HashSet<string> _reasons = new(StringComparer.Ordinal);

    private readonly Gauge _info;
    private readonly Gauge _state;
    private readonly Gauge _started;
    private readonly Gauge _waiting;
    private readonly Counter _recordsIn;
    private readonly Counter _recordsOut;
    private readonly Counter _bytesIn;

    private readonly Gauge _firstSeq;
    private readonly Gauge _nextSeq;
    private readonly Gauge _durableSeq;
    private readonly Gauge _doneSeq;
    private readonly Gauge _storedRecords;
    private readonly Gauge _pendingRecords;
    private readonly Gauge _pendingAge;
    private readonly Gauge _bytes;
    private readonly Gauge _capacity;
    private readonly Gauge _lostRecords;
    private readonly Gauge _gaps;
    private readonly Histogram _fsync;

    private readonly Gauge _linkState;
    private readonly Gauge _linkUp;
    private readonly Counter _connections;
    private readonly Counter _reconnects;
    private readonly Counter _failures;
    private readonly Gauge _lastFailure;
    private readonly Counter _wireBytes;
    private readonly Counter _recordBytes;
    private readonly Counter _linkRecords;
    private readonly Counter _frames;
    private readonly Gauge _ratio;
    private readonly Gauge _ackedSeq;
    private readonly Gauge? _level;

    private readonly Counter _partitionRecords;
    private readonly Counter _partitionBytes;
    private readonly Gauge _partitionLatency;

    private AgentMetrics(string role, string name, Func<AgentStatus> status, Func<LinkStatus?> link, DiskQueue queue)
    {
        _status = status;
        _link = link;
        _queue = queue;
        var set = new MetricSet(new Dictionary<string, string> { ["agent"] = name, ["role"] = role });
        Registry = set.Registry;

        _info = set.Gauge("kafkasync_agent_info", "Always 1; the version label names the KafkaSync version.", "version");
        _state = set.Gauge("kafkasync_agent_state", "1 for the agent's current state (starting, running, stopping, stopped, failed), 0 for the others.", "state");
        _started = set.Gauge("kafkasync_agent_start_time_seconds", "When the agent started, Unix time.");
        _waiting = set.Gauge("kafkasync_agent_waiting", "1 while the agent waits for the reason given (e.g. queue full, target cluster slow or down), else 0.", "reason");
        _recordsIn = set.Counter("kafkasync_agent_records_in_total", "Records taken in: consumed from the source cluster (source) or received over the link (target).");
        _recordsOut = set.Counter("kafkasync_agent_records_out_total", "Records passed on: sent over the link (source) or produced to the target cluster (target).");
        _bytesIn = set.Counter("kafkasync_agent_bytes_in_total", "Serialized record bytes taken in.");

        _firstSeq = set.Gauge("kafkasync_queue_first_seq", "Oldest seq still stored in the agent's queue.");
        _nextSeq = set.Gauge("kafkasync_queue_next_seq", "The seq the next appended record gets.");
        _durableSeq = set.Gauge("kafkasync_queue_durable_seq", "Highest seq made durable (fsynced per the queue's policy).");
        _doneSeq = set.Gauge("kafkasync_queue_done_seq", "Highest seq done: acknowledged by the target (source) or delivered to Kafka (target).");
        _storedRecords = set.Gauge("kafkasync_queue_stored_records", "Records the queue stores, done or not (retention deletes whole segments once every cursor passed them).");
        _pendingRecords = set.Gauge("kafkasync_queue_pending_records", "Queue depth: records appended but not yet done.");
        _pendingAge = set.Gauge("kafkasync_queue_pending_age_seconds", "Age by Kafka timestamp of the oldest record not yet done; 0 when none waits.");
        _bytes = set.Gauge("kafkasync_queue_bytes", "Bytes the queue's segments hold (counted against its capacity).");
        _capacity = set.Gauge("kafkasync_queue_capacity_bytes", "The queue's capacity; when kafkasync_queue_bytes reaches it, whatever feeds the queue waits.");
        _lostRecords = set.Gauge("kafkasync_queue_lost_records", "Records in gaps declared lost in this queue (by a repair); readers pass over them.");
        _gaps = set.Gauge("kafkasync_queue_gaps", "Seq ranges declared lost in this queue.");
        _fsync = set.Histogram("kafkasync_queue_fsync_duration_seconds", "Time of each fdatasync of the queue (group commits and segment seals).", MetricSet.FsyncBuckets);

        _linkState = set.Gauge("kafkasync_link_state", "1 for the link's current state (idle, connecting, connected, backoff, stopped), 0 for the others. A target is 'connecting' while it listens with no source.", "state");
        _linkUp = set.Gauge("kafkasync_link_up", "1 while a source and target are joined by the link, else 0.");
        _connections = set.Counter("kafkasync_link_connections_total", "Link connections established (authenticated).");
        _reconnects = set.Counter("kafkasync_link_reconnects_total", "Link connections established after the first.");
        _failures = set.Counter("kafkasync_link_failures_total", "Link connections that failed or were refused (network, authentication, bad input, a dead peer).");
        _lastFailure = set.Gauge("kafkasync_link_last_failure_timestamp_seconds", "When the link last failed, Unix time; 0 if it never did.");
        _wireBytes = set.Counter("kafkasync_link_wire_bytes_total", "Bytes on the wire, every message: sent (source) or received (target).");
        _recordBytes = set.Counter("kafkasync_link_record_bytes_total", "Record bytes carried by the link before compression.");
        _linkRecords = set.Counter("kafkasync_link_records_total", "Records carried by the link: sent (source) or appended (target).");
        _frames = set.Counter("kafkasync_link_frames_total", "Frames carried by the link.");
        _ratio = set.Gauge("kafkasync_link_compression_ratio", "Record bytes per wire byte since the agent started (higher is better); 0 before any data.");
        _ackedSeq = set.Gauge("kafkasync_link_acked_seq", "Highest seq the target made durable and acknowledged.");
        _level = role == "source" ? set.Gauge("kafkasync_link_zstd_level", "The zstd level the source compresses frames with now (it moves with the adaptive level).") : null;

        var side = role == "source" ? "consumed from the source cluster" : "delivered to the target cluster";
        var prefix = role == "source" ? "kafkasync_source_consumed" : "kafkasync_target_produced";
        _partitionRecords = set.Counter($"{prefix}_records_total", $"Records {side}, per topic-partition.", "topic", "partition");
        _partitionBytes = set.Counter($"{prefix}_bytes_total", $"Serialized record bytes (key, value, headers, metadata) {side}, per topic-partition.", "topic", "partition");
        Histogram latency;
        if (role == "source")
        {
            _partitionLatency = set.Gauge("kafkasync_source_record_age_seconds", "Age by Kafka timestamp of the last record consumed from the partition, when it was consumed (MirrorMaker's record-age).", "topic", "partition");
            latency = set.Histogram("kafkasync_source_record_age_at_consume_seconds", "Age by Kafka timestamp of each record when it was consumed.", MetricSet.LatencyBuckets);
        }
        else
        {
            _partitionLatency = set.Gauge("kafkasync_target_replication_latency_seconds", "From the source Kafka timestamp of the last record delivered to the partition to its delivery (MirrorMaker's replication-latency; includes any clock difference between the sites).", "topic", "partition");
            latency = set.Histogram("kafkasync_replication_latency_seconds", "From each record's source Kafka timestamp to its delivery to the target cluster.", MetricSet.LatencyBuckets);
        }

        Traffic = new PartitionTraffic(latency);
        Registry.AddBeforeCollectCallback(Update);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>The per-partition counters the agent's Kafka stage fills.</summary>
    public PartitionTraffic Traffic { get; }

    /// <summary>
    /// Declares the agent's metrics, hooks the queue's fsync timing and the Kafka stage's partition
    /// counters, and starts the endpoint. Call before the agent's stages start.
    /// </summary>
    /// <exception cref="AgentException">The endpoint cannot listen.</exception>
    public static MetricsEndpoint Start(MetricsOptions options, string role, string name, Func<AgentStatus> status, Func<LinkStatus?> link, DiskQueue queue, AgentCounters counters)
    {
        var metrics = new AgentMetrics(role, name, status, link, queue);
        MetricsEndpoint endpoint;
        try
        {
            endpoint = MetricsEndpoint.Start("metrics.listen", options.Listen!, metrics.Registry);
        }
        catch (InvalidOperationException ex)
        {
            throw new AgentException($"Cannot serve metrics: {ex.Message}. Check metrics.listen (address and a free port).", ex);
        }

        queue.SyncTimed = metrics._fsync.Observe;
        counters.Traffic = metrics.Traffic;
        return endpoint;
    }
}
