using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tsdb.Balancing;
using KafkaSync.Engine.Tsdb.Connectors;
using KafkaSync.Engine.Tsdb.Monitoring;
using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Tsdb;

/// <summary>
/// The cluster service: one connector per node, the monitor with its available node list, the
/// status endpoint (<c>/nodes</c>, <c>/timeline</c>) and, when configured, a read balancer.
/// Start it with <see cref="StartAsync"/>, stop it with <see cref="DisposeAsync"/>.
/// </summary>
public sealed class TsdbCluster : IAsyncDisposable
{
    private readonly TsdbClusterOptions options;
    private readonly Action<string> log;
    private readonly List<NodeClient> clients = [];
    private readonly List<NodeConnector> connectors = [];
    private readonly ReadCounters readers = new();
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> running = [];
    private DeadLetterSink? deadLetters;
    private NodeMonitor? monitor;
    private HttpServer? status;
    private ReadBalancer? balancer;
    private Metrics.MetricsEndpoint? metrics;

    private TsdbCluster(TsdbClusterOptions options, IProgress<string>? log)
    {
        this.options = options;
        this.log = log == null ? _ => { } : log.Report;
    }

    /// <summary>The URL of the status endpoint (node list and timeline), or null when not served.</summary>
    public Uri? StatusUrl => status?.Url;

    /// <summary>The URL of the read balancer, or null when none runs.</summary>
    public Uri? BalancerUrl => balancer?.Url;

    /// <summary>The URL of the Prometheus <c>/metrics</c> endpoint, or null when <c>metrics.listen</c> is not set.</summary>
    public Uri? MetricsUrl => metrics?.Url;

    /// <summary>
    /// Validates <paramref name="options"/> and starts the connectors, the monitor, the status
    /// endpoint and the balancer. Each connector first creates the database and retention policy on
    /// its InfluxDB node (again after every outage), retrying while the node is down, so one node
    /// down at start holds up no other.
    /// </summary>
    /// <param name="options">The cluster.</param>
    /// <param name="log">Receives one line per state change and failure (null: none).</param>
    /// <param name="cancellation">Cancels the start.</param>
    /// <exception cref="Configuration.OptionsException">A setting is wrong.</exception>
    /// <exception cref="InvalidOperationException">An endpoint cannot listen.</exception>
    public static async Task<TsdbCluster> StartAsync(TsdbClusterOptions options, IProgress<string>? log = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        KafkaClients.EnsureLoaded();
        var cluster = new TsdbCluster(options, log);
        try
        {
            cancellation.ThrowIfCancellationRequested();
            cluster.StartParts();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every node with its state, offsets, lag, writers, readers, pressure and last error.</summary>
    public IReadOnlyList<TsdbNodeStatus> Nodes() => monitor?.Nodes() ?? [];

    /// <summary>Every state change of every node since the start, oldest first.</summary>
    public IReadOnlyList<TsdbTimelineEntry> Timeline() => monitor?.Timeline() ?? [];

    /// <summary>Stops the connectors (in-flight writes finish, written offsets are committed) and the endpoints.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (balancer != null)
        {
            await balancer.DisposeAsync();
        }

        if (status != null)
        {
            await status.DisposeAsync();
        }

        if (metrics != null)
        {
            await metrics.DisposeAsync();
        }

        try
        {
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException)
        {
        }

        deadLetters?.Dispose();
        foreach (var client in clients)
        {
            client.Dispose();
        }

        stop.Dispose();
    }

    private void StartParts()
    {
        var password = options.ResolvePassword();
        foreach (var node in options.Nodes)
        {
            var client = new NodeClient(options.Kind, new Uri(node.Url), options.Influx, password, options.Connector.RequestTimeout);
            clients.Add(client);
        }

        deadLetters = new DeadLetterSink(options.DeadLetter, options.Kafka.BootstrapServers);
        for (var i = 0; i < options.Nodes.Count; i++)
        {
            connectors.Add(new NodeConnector(options, options.Nodes[i], clients[i], deadLetters, (node, reason) => monitor?.ReportFailure(node, reason), log));
        }

        monitor = new NodeMonitor(options, clients.Zip(connectors).ToList(), readers, log);
        foreach (var connector in connectors)
        {
            running.Add(connector.RunAsync(stop.Token));
        }

        running.Add(Task.Run(() => monitor.RunAsync(stop.Token), CancellationToken.None));
        if (!string.IsNullOrWhiteSpace(options.Monitor.Listen))
        {
            status = HttpServer.Start("monitor.listen", options.Monitor.Listen, ServeStatusAsync);
        }

        if (!string.IsNullOrWhiteSpace(options.Balancer.Listen))
        {
            balancer = new ReadBalancer(options, options.Balancer.Listen, Nodes, readers);
        }

        if (options.Metrics.Enabled)
        {
            metrics = Metrics.TsdbMetrics.Start(options, Nodes);
        }

        log($"cluster {options.Name}: {options.Nodes.Count} {options.Kind} node(s) fed from {options.Kafka.Topic}; status {status?.Url.ToString() ?? "off"}, balancer {balancer?.Url.ToString() ?? "off"}, metrics {metrics?.Url.ToString() ?? "off"}");
    }

    private Task ServeStatusAsync(HttpExchange exchange, CancellationToken cancellation) =>
        exchange.Path switch
        {
            "/nodes" => exchange.RespondJsonAsync(Nodes(), cancellation),
            "/timeline" => exchange.RespondJsonAsync(Timeline(), cancellation),
            "/ping" => exchange.RespondTextAsync(200, "ok", cancellation),
            _ => exchange.RespondTextAsync(404, "the status endpoint serves /nodes, /timeline and /ping", cancellation),
        };
}
