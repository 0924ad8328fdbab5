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

    /// <summary>Released when a connector made progress: a catching-up node may be caught up now.</summary>
    private readonly SemaphoreSlim progressed = new(0);

    public NodeMonitor(TsdbClusterOptions options, IReadOnlyList<(NodeClient Client, NodeConnector Connector)> nodes, ReadCounters readers, Action<string> log)
    {
        this.options = options;
        this.readers = readers;
        this.log = log;
        this.nodes = nodes.Select(n => new Watched(n.Client, n.Connector)).ToList();
        foreach (var node in this.nodes)
        {
            node.Connector.Progressed = OnProgress;
            var watched = node;
            node.Connector.DataLossFound = report => OnDataLoss(watched, report);
        }
    }

    /// <summary>
    /// Checks every node now and then at every interval until cancelled. Between checks, each
    /// time a connector makes progress, it lets caught-up nodes back at once: after a start or a
    /// restart of the service, reads need not wait for the next check.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            await CheckAllAsync(cancellation);
            var next = DateTime.UtcNow + options.Monitor.CheckInterval;
            try
            {
                while (next - DateTime.UtcNow is { } left && left > TimeSpan.Zero)
                {
                    if (await progressed.WaitAsync(left, cancellation))
                    {
                        lock (gate)
                        {
                            AdmitCaughtUp();
                        }
                    }
                }
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
                    // It answers again: have its connector look for its marks now, not at the next round.
                    node.Connector.RequestMarkCheck();
                    Change(node, TsdbNodeState.CatchingUp, "health check passed; waiting until its offsets catch up");
                }
            }

            AdmitCaughtUp();
        }
    }

    /// <summary>Moves every catching-up node whose offsets caught up into the list. Call under <see cref="gate"/>.</summary>
    private void AdmitCaughtUp()
    {
        // A connector resumes only after its own health check passed: as good as the monitor's.
        foreach (var node in nodes.Where(n => n.State == TsdbNodeState.Unavailable && n.Connector.Resumed && n.Connector.ResumedAt > n.Since))
        {
            Change(node, TsdbNodeState.CatchingUp, "its connector found it answering again; waiting until its offsets catch up");
        }

        var catchingUp = nodes.Where(n => n.State == TsdbNodeState.CatchingUp).ToList();
        if (catchingUp.Count == 0)
        {
            return;
        }

        // Until every connector has read its group's offsets, the most advanced node is unknown.
        if (nodes.Any(n => !n.Connector.OffsetsLoaded))
        {
            return;
        }

        var mostAdvanced = MostAdvancedOffsets();
        foreach (var node in catchingUp.Where(n => IsCaughtUp(n, mostAdvanced)))
        {
            Change(node, TsdbNodeState.Available, "caught up with the most advanced node");
        }
    }

    /// <summary>
    /// The node answers but lost data: out of the list until refilled (its connector has rewound,
    /// so it is behind), and said so in the timeline whatever its state was.
    /// </summary>
    private void OnDataLoss(Watched node, string report)
    {
        lock (gate)
        {
            node.LastError = report;
            node.LastErrorAt = DateTimeOffset.UtcNow;
            Change(node, TsdbNodeState.CatchingUp, report);
        }
    }

    private void OnProgress()
    {
        // One pending wake-up is enough: the monitor looks at every node when it wakes.
        if (progressed.CurrentCount == 0)
        {
            progressed.Release();
        }
    }

    /// <summary>
    /// Takes the node out of the list at once (its connector saw a write fail, or a balancer could
    /// not reach it); it returns through a passing health check once caught up.
    /// </summary>
    /// <returns>False when no node has that name.</returns>
    public bool ReportFailure(string name, string reason)
    {
        lock (gate)
        {
            var node = nodes.FirstOrDefault(n => n.Connector.Node.Name == name);
            if (node == null)
            {
                return false;
            }

            Fail(node, reason);
            return true;
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
            DataLoss = connector.DataLoss,
            LostRecords = connector.LostRecords,
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
            && node.Connector.MarksVerifiedAt >= node.LeftAt
            && mostAdvanced.All(p => p.Value - own.GetValueOrDefault(p.Key) <= options.Monitor.CatchUpTolerance);
    }

    private void Fail(Watched node, string reason)
    {
        node.LastError = reason;
        node.LastErrorAt = DateTimeOffset.UtcNow;
        if (node.State != TsdbNodeState.Unavailable)
        {
            Change(node, TsdbNodeState.Unavailable, reason);
            node.LeftAt = DateTime.UtcNow;
            // Whatever comes back may be another server: it must show its marks before reads return.
            node.Connector.RequestMarkCheck();
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

        /// <summary>When it last left the list; it returns only after its connector checked its marks since.</summary>
        public DateTime LeftAt { get; set; } = DateTime.MinValue;
    }
}
