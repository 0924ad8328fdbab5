namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>
/// Forwards each query to the available node with the lowest pressure and relays the node's
/// status, headers and body as a stream. Ties go round-robin. Answers 503 when no node is
/// available, and serves <c>/ping</c> and <c>/health</c> itself.
/// </summary>
internal sealed partial class ReadBalancer : IAsyncDisposable
{
    /// <summary>The response header naming the node that answered.</summary>
    public const string NodeHeader = "X-KafkaSync-Node";

    private static readonly string[] InfluxPaths = ["/query"];
    private static readonly string[] PrometheusPaths = ["/api/v1/query", "/api/v1/query_range", "/api/v1/export"];

    private readonly TsdbClusterOptions options;
    private readonly Func<IReadOnlyList<TsdbNodeStatus>> nodeList;
    private readonly ReadCounters readers;
    private readonly HttpClient http;
    private readonly HttpServer endpoint;
    private readonly string[] paths;
    private int rotation;

    public ReadBalancer(TsdbClusterOptions options, string listen, Func<IReadOnlyList<TsdbNodeStatus>> nodeList, ReadCounters readers)
    {
        this.options = options;
        this.nodeList = nodeList;
        this.readers = readers;
        paths = options.Kind == TsdbNodeKind.InfluxDb ? InfluxPaths : PrometheusPaths;
        http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = options.Balancer.QueryTimeout,
        };
        endpoint = HttpServer.Start("balancer.listen", listen, HandleAsync);
    }

    /// <summary>The balancer's base URL.</summary>
    public Uri Url => endpoint.Url;

    public async ValueTask DisposeAsync()
    {
        await endpoint.DisposeAsync();
        http.Dispose();
    }

    /// <summary>The available node with the lowest pressure (ties: round-robin), or null.</summary>
    internal TsdbNodeStatus? Choose(IReadOnlyList<TsdbNodeStatus> nodes)
    {
        var available = nodes.Where(n => n.State == TsdbNodeState.Available).ToList();
        if (available.Count == 0)
        {
            return null;
        }

        // Unsigned throughout: the counter wraps after 2^32 queries and must never give a negative index.
        var start = (int)(((uint)Interlocked.Increment(ref rotation) - 1) % (uint)available.Count);
        TsdbNodeStatus? best = null;
        var bestPressure = double.MaxValue;
        for (var i = 0; i < available.Count; i++)
        {
            var node = available[(start + i) % available.Count];
            var pressure = Pressure.Compute(options.Balancer.WriteWeight, options.Balancer.ReadWeight, node.Writers, readers.Get(node.Name), node.Weight);
            if (pressure < bestPressure)
            {
                best = node;
                bestPressure = pressure;
            }
        }

        return best;
    }

    private async Task HandleAsync(HttpExchange exchange, CancellationToken cancellation)
    {
        var path = exchange.Path;
        if (path == "/ping")
        {
            await exchange.RespondBytesAsync(204, null, [], cancellation);
            return;
        }

        var nodes = nodeList();
        if (path == "/health")
        {
            var available = nodes.Count(n => n.State == TsdbNodeState.Available);
            await exchange.RespondTextAsync(available > 0 ? 200 : 503, $"{available} of {nodes.Count} nodes available", cancellation);
            return;
        }

        if (Array.IndexOf(paths, path) < 0)
        {
            await exchange.RespondTextAsync(404, $"'{path}' is not served here; a {options.Kind} cluster answers {string.Join(", ", paths)}, /ping and /health.", cancellation);
            return;
        }

        var node = Choose(nodes);
        if (node == null)
        {
            var states = nodes.Count == 0 ? "the node list is empty" : string.Join("; ", nodes.Select(n => $"{n.Name}: {n.State}{(n.LastError == null ? "" : " (" + n.LastError + ")")}"));
            await exchange.RespondTextAsync(503, $"no available node to answer the query: {states}", cancellation);
            return;
        }

        readers.Enter(node.Name);
        try
        {
            await ForwardAsync(exchange, node, cancellation);
        }
        finally
        {
            readers.Leave(node.Name);
        }
    }
}
