using System.Globalization;
using KafkaSync.Engine.Tsdb;
using Prometheus;

namespace KafkaSync.Engine.Metrics;

/// <summary>
/// The metrics of the time-series cluster service, per node: state, lag, writes and reads in
/// flight, pressure, points written, dead letters and committed offsets. Read at scrape time from
/// the monitor's node list, the same one <c>/nodes</c> serves.
/// </summary>
internal sealed class TsdbMetrics
{
    private readonly TsdbClusterOptions _options;
    private readonly Func<IReadOnlyList<TsdbNodeStatus>> _nodes;

    private readonly Gauge _info;
    private readonly Gauge _nodeCount;
    private readonly Gauge _availableCount;
    private readonly Gauge _state;
    private readonly Gauge _available;
    private readonly Gauge _since;
    private readonly Gauge _lag;
    private readonly Gauge _writers;
    private readonly Gauge _readers;
    private readonly Gauge _pressure;
    private readonly Gauge _weight;
    private readonly Counter _points;
    private readonly Counter _deadLetters;
    private readonly Gauge _lastCommit;
    private readonly Gauge _lastFailure;
    private readonly Gauge _offset;

    private TsdbMetrics(TsdbClusterOptions options, Func<IReadOnlyList<TsdbNodeStatus>> nodes)
    {
        _options = options;
        _nodes = nodes;
        var set = new MetricSet(new Dictionary<string, string> { ["cluster"] = options.Name });
        Registry = set.Registry;
        _info = set.Gauge("kafkasync_tsdb_info", "Always 1; labels name the node kind, the Kafka topic and the KafkaSync version.", "kind", "topic", "version");
        _nodeCount = set.Gauge("kafkasync_tsdb_nodes", "Nodes in the cluster.");
        _availableCount = set.Gauge("kafkasync_tsdb_available_nodes", "Nodes in the available node list (reads go only to these).");
        _state = set.Gauge("kafkasync_tsdb_node_state", "1 for the node's current state (available, unavailable, catching_up), 0 for the others.", "node", "state");
        _available = set.Gauge("kafkasync_tsdb_node_available", "1 while the node is in the available node list, else 0.", "node");
        _since = set.Gauge("kafkasync_tsdb_node_state_since_timestamp_seconds", "When the node entered its current state, Unix time.", "node");
        _lag = set.Gauge("kafkasync_tsdb_node_lag_records", "Records in the topic not yet written to the node (sum over partitions of end offset minus committed offset).", "node");
        _writers = set.Gauge("kafkasync_tsdb_node_writes_in_flight", "Connector writes to the node in flight now.", "node");
        _readers = set.Gauge("kafkasync_tsdb_node_reads_in_flight", "Queries the balancer is relaying to the node now.", "node");
        _pressure = set.Gauge("kafkasync_tsdb_node_pressure", "The node's load pressure as the balancer ranks it: (writeWeight x writers + readWeight x readers) / weight.", "node");
        _weight = set.Gauge("kafkasync_tsdb_node_weight", "The node's configured weight.", "node");
        _points = set.Counter("kafkasync_tsdb_node_points_written_total", "Points the node accepted since the service started.", "node");
        _deadLetters = set.Counter("kafkasync_tsdb_node_dead_letters_total", "Records the node's connector sent to the dead letters (rejected for good) since the service started.", "node");
        _lastCommit = set.Gauge("kafkasync_tsdb_node_last_commit_timestamp_seconds", "When the node's connector last committed newly written offsets, Unix time; 0 before the first.", "node");
        _lastFailure = set.Gauge("kafkasync_tsdb_node_last_failure_timestamp_seconds", "When the node last failed (write or health check), Unix time; 0 if it never did.", "node");
        _offset = set.Gauge("kafkasync_tsdb_node_committed_offset", "The node's committed offset (next record to write) per partition of the topic.", "node", "partition");
        Registry.AddBeforeCollectCallback(Update);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Starts the cluster's endpoint on <c>metrics.listen</c>.</summary>
    /// <exception cref="InvalidOperationException">The address cannot be bound.</exception>
    public static MetricsEndpoint Start(TsdbClusterOptions options, Func<IReadOnlyList<TsdbNodeStatus>> nodes) =>
        MetricsEndpoint.Start("metrics.listen", options.Metrics.Listen!, new TsdbMetrics(options, nodes).Registry);

    private static string StateName(TsdbNodeState state) => state switch
    {
        TsdbNodeState.CatchingUp => "catching_up",
        _ => state.ToString().ToLowerInvariant(),
    };

    private void Update()
    {
        var nodes = _nodes();
        _info.WithLabels(_options.Kind.ToString().ToLowerInvariant(), _options.Kafka.Topic, MetricSet.Version).Set(1);
        _nodeCount.Set(nodes.Count);
        _availableCount.Set(nodes.Count(n => n.State == TsdbNodeState.Available));
        foreach (var node in nodes)
        {
            var name = node.Name;
            MetricSet.SetState(_state, node.State, StateName, name);
            _available.WithLabels(name).Set(node.State == TsdbNodeState.Available ? 1 : 0);
            _since.WithLabels(name).Set(MetricSet.Seconds(node.Since));
            _lag.WithLabels(name).Set(node.Lag);
            _writers.WithLabels(name).Set(node.Writers);
            _readers.WithLabels(name).Set(node.Readers);
            _pressure.WithLabels(name).Set(node.Pressure);
            _weight.WithLabels(name).Set(node.Weight);
            _points.WithLabels(name).IncTo(node.PointsWritten);
            _deadLetters.WithLabels(name).IncTo(node.DeadLetters);
            _lastCommit.WithLabels(name).Set(MetricSet.Seconds(node.LastCommitAt));
            _lastFailure.WithLabels(name).Set(MetricSet.Seconds(node.LastErrorAt));
            foreach (var (partition, offset) in node.Offsets)
            {
                _offset.WithLabels(name, partition.ToString(CultureInfo.InvariantCulture)).Set(offset);
            }
        }
    }
}
