using KafkaSync.Engine.Tsdb.Balancing;
using KafkaSync.Engine.Tsdb.Connectors;
using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Tsdb.Monitoring;

/// <summary>
/// Keeps the available node list. A node leaves it on a write failure (reported by its
/// connector) or a failed health check; a healthy node comes back only when its connector runs
/// and its committed offsets are, on every partition, within the tolerance of the most advanced
/// node's. Every change is logged and kept in the timeline.
/// </summary>
internal sealed class NodeMonitor
{
    private const int TimelineLimit = 10_000;
    private readonly object gate = new();
    private readonly TsdbClusterOptions options;
    private readonly IReadOnlyList<Watched> nodes;
    private readonly ReadCounters readers;
    private readonly Action<string> log;
    private readonly List<TsdbTimelineEntry> timeline = [];

    public NodeMonitor(TsdbClusterOptions options, IReadOnlyList<(NodeClient Client, NodeConnector Connector)> nodes, ReadCounters readers, Action<string> log)
    {
        this.options = options;
        this.readers = readers;
        this.log = log;
        this.nodes = nodes.Select(n => new Watched(n.Client, n.Connector)).ToList();
    }

    /// <summary>Checks every node now and then at every interval until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            await CheckAllAsync(cancellation);
            try
            {
                await Task.Delay(options.Monitor.CheckInterval, cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task CheckAllAsync(CancellationToken cancellation)
    {
        var problems = await Task.WhenAll(nodes.Select(n => n.Client.CheckHealthAsync(options.Monitor.CheckTimeout, cancellation)));
        lock (gate)
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                var node = nodes[i];
                if (problems[i] != null)
                {
                    Fail(node, problems[i]!);
                }
                else if (node.State == TsdbNodeState.Unavailable)
                {
                    Change(node, TsdbNodeState.CatchingUp, "health check passed; waiting until its offsets catch up");
                }
            }

            var catchingUp = nodes.Where(n => n.State == TsdbNodeState.CatchingUp).ToList();
            var mostAdvanced = catchingUp.Count == 0 ? [] : MostAdvancedOffsets();
            foreach (var node in catchingUp.Where(n => IsCaughtUp(n, mostAdvanced)))
            {
                Change(node, TsdbNodeState.Available, "caught up with the most advanced node");
            }
        }
    }

    /// <summary>Takes the node out of the list at once (its connector saw a write fail).</summary>
    public void ReportFailure(string name, string reason)
    {
        lock (gate)
        {
            Fail(nodes.First(n => n.Connector.Node.Name == name), reason);
        }
    }

    public IReadOnlyList<TsdbNodeStatus> Nodes()
    {
        lock (gate)
        {
            return nodes.Select(Status).ToList();
        }
    }

    public IReadOnlyList<TsdbTimelineEntry> Timeline()
    {
        lock (gate)
        {
            return timeline.ToList();
        }
    }

    private TsdbNodeStatus Status(Watched node)
    {
        var connector = node.Connector;
        var writers = connector.Writers;
        var reads = readers.Get(connector.Node.Name);
        return new TsdbNodeStatus
        {
            Name = connector.Node.Name,
            Url = node.Client.BaseUrl.ToString(),
            State = node.State,
            Since = node.Since,
            Weight = connector.Node.Weight,
            ConsumerGroup = connector.ConsumerGroup,
            Offsets = connector.CommittedOffsets,
            LastCommitAt = connector.LastCommitAt,
            Lag = connector.Lag,
            Writers = writers,
            Readers = reads,
            Pressure = Pressure.Compute(options.Balancer.WriteWeight, options.Balancer.ReadWeight, writers, reads, connector.Node.Weight),
            PointsWritten = connector.PointsWritten,
            DeadLetters = connector.DeadLettered,
            LastError = node.LastError,
            LastErrorAt = node.LastErrorAt,
        };
    }

    /// <summary>Per partition, the highest offset any node has committed.</summary>
    private Dictionary<int, long> MostAdvancedOffsets()
    {
        var best = new Dictionary<int, long>();
        foreach (var (partition, offset) in nodes.SelectMany(n => n.Connector.CommittedOffsets))
        {
            best[partition] = Math.Max(offset, best.GetValueOrDefault(partition));
        }

        return best;
    }

    /// <summary>True when the node's connector runs and every partition is within the tolerance of the most advanced node.</summary>
    private bool IsCaughtUp(Watched node, Dictionary<int, long> mostAdvanced)
    {
        var own = node.Connector.CommittedOffsets;
        return node.Connector.Resumed
            && mostAdvanced.All(p => p.Value - own.GetValueOrDefault(p.Key) <= options.Monitor.CatchUpTolerance);
    }

    private void Fail(Watched node, string reason)
    {
        node.LastError = reason;
        node.LastErrorAt = DateTimeOffset.UtcNow;
        if (node.State != TsdbNodeState.Unavailable)
        {
            Change(node, TsdbNodeState.Unavailable, reason);
        }
    }

    private void Change(Watched node, TsdbNodeState to, string reason)
    {
        var entry = new TsdbTimelineEntry(DateTimeOffset.UtcNow, node.Connector.Node.Name, node.State, to, reason);
        node.State = to;
        node.Since = entry.At;
        timeline.Add(entry);
        if (timeline.Count > TimelineLimit)
        {
            timeline.RemoveRange(0, timeline.Count - TimelineLimit);
        }

        log($"{entry.Node}: {entry.From} -> {entry.To}: {entry.Reason}");
    }

    private sealed class Watched(NodeClient client, NodeConnector connector)
    {
        public NodeClient Client { get; } = client;

        public NodeConnector Connector { get; } = connector;

        // Every node starts out of the list until its connector has its offsets and they are caught up.
        public TsdbNodeState State { get; set; } = TsdbNodeState.CatchingUp;

        public DateTimeOffset Since { get; set; } = DateTimeOffset.UtcNow;

        public string? LastError { get; set; }

        public DateTimeOffset? LastErrorAt { get; set; }
    }
}
