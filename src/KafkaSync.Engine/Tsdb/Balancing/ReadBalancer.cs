namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>
/// Forwards each query to the available node with the lowest pressure and relays the node's
/// status, headers and body as a stream. Ties go round-robin. Answers 503 when no node is
/// available, and serves <c>/ping</c> and <c>/health</c> itself. A node that cannot be reached
/// before any byte of its answer was relayed is reported at once and the query goes to the
/// next available node: queries are reads, so sending one again is harmless.
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
    private readonly Action<string, string> reportFailure;
    private readonly HttpClient http;
    private readonly HttpServer endpoint;
    private readonly string[] paths;
    private int rotation;

    /// <summary>Request bodies up to this size are kept so that a query can be sent to another node.</summary>
    private const int MaxReplayedBody = 1 << 20;

    /// <param name="options">The cluster (kind, weights, query timeout).</param>
    /// <param name="listen">Where to accept queries (<c>host:port</c>).</param>
    /// <param name="nodeList">The monitor's node list, read for every query.</param>
    /// <param name="readers">Queries in flight per node, shared with the monitor.</param>
    /// <param name="reportFailure">Told (node, reason) when a node could not be reached, so it leaves the list now.</param>
    public ReadBalancer(TsdbClusterOptions options, string listen, Func<IReadOnlyList<TsdbNodeStatus>> nodeList, ReadCounters readers, Action<string, string>? reportFailure = null)
    {
        this.options = options;
        this.nodeList = nodeList;
        this.readers = readers;
        this.reportFailure = reportFailure ?? ((_, _) => { });
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
    internal TsdbNodeStatus? Choose(IReadOnlyList<TsdbNodeStatus> nodes, IReadOnlySet<string>? exclude = null)
    {
        var available = nodes.Where(n => n.State == TsdbNodeState.Available && exclude?.Contains(n.Name) != true).ToList();
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

        // Replaying a query on another node needs its body again; queries carry small bodies.
        var body = exchange.BodyLength is > 0 and <= MaxReplayedBody ? await ReadBodyAsync(exchange, cancellation) : null;
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        while (Choose(nodes, failed.Keys.ToHashSet(StringComparer.Ordinal)) is { } node)
        {
            string? failure;
            readers.Enter(node.Name);
            try
            {
                failure = await ForwardAsync(exchange, node, body, cancellation);
            }
            finally
            {
                readers.Leave(node.Name);
            }

            if (failure == null)
            {
                return;
            }

            failed[node.Name] = failure;
            reportFailure(node.Name, "a query could not reach it: " + failure);
            if (exchange.BodyLength > 0 && body == null)
            {
                // The body was streamed to the failed node and is gone: nothing left to send again.
                break;
            }

            nodes = nodeList();
        }

        if (failed.Count > 0)
        {
            await exchange.RespondTextAsync(502, "no node answered the query: " + string.Join("; ", failed.Select(f => $"{f.Key}: {f.Value}")), cancellation);
            return;
        }

        var states = nodes.Count == 0 ? "the node list is empty" : string.Join("; ", nodes.Select(n => $"{n.Name}: {n.State}{(n.LastError == null ? "" : " (" + n.LastError + ")")}"));
        await exchange.RespondTextAsync(503, $"no available node to answer the query: {states}", cancellation);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpExchange exchange, CancellationToken cancellation)
    {
        var body = new byte[exchange.BodyLength];
        await exchange.Body.ReadExactlyAsync(body, cancellation);
        return body;
    }
}
