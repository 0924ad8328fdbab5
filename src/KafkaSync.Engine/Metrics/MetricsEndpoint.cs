using KafkaSync.Engine.Tsdb.Balancing;
using Prometheus;

namespace KafkaSync.Engine.Metrics;

/// <summary>
/// A running <c>/metrics</c> endpoint: serves one collector registry in the Prometheus text format
/// over the engine's own small HTTP server (sockets, no ASP.NET Core, so it also runs inside pwsh;
/// port 0 picks a free port). Each agent or cluster has its own registry, so two agents in one
/// process never mix their series.
/// </summary>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    /// <summary>The content type of the Prometheus text exposition format 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly HttpServer _server;
    private readonly CollectorRegistry _registry;

    private MetricsEndpoint(HttpServer server, CollectorRegistry registry)
    {
        _server = server;
        _registry = registry;
        Url = new Uri(server.Url, "metrics");
    }

    /// <summary>The URL to scrape, e.g. <c>http://127.0.0.1:9464/metrics</c>.</summary>
    public Uri Url { get; }

    /// <summary>Stops serving.</summary>
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>Starts serving <paramref name="registry"/> on <paramref name="listen"/>.</summary>
    /// <param name="field">The setting's name for errors, e.g. <c>metrics.listen</c>.</param>
    /// <param name="listen">host:port.</param>
    /// <param name="registry">What to serve.</param>
    /// <exception cref="InvalidOperationException">The address cannot be bound (in use, not local); the message names <paramref name="field"/>.</exception>
    internal static MetricsEndpoint Start(string field, string listen, CollectorRegistry registry)
    {
        MetricsEndpoint? endpoint = null;
        var server = HttpServer.Start(field, listen.Trim(), (exchange, ct) => endpoint!.ServeAsync(exchange, ct));
        endpoint = new MetricsEndpoint(server, registry);
        return endpoint;
    }

    private async Task ServeAsync(HttpExchange exchange, CancellationToken ct)
    {
        if (exchange.Path != "/metrics")
        {
            await exchange.RespondTextAsync(404, "KafkaSync serves its metrics on /metrics", ct);
            return;
        }

        if (exchange.Method != "GET")
        {
            await exchange.RespondTextAsync(405, "use GET /metrics", ct);
            return;
        }

        // Collected into memory first: a failed collection then answers 500 instead of a cut-off body.
        using var body = new MemoryStream(16 << 10);
        await _registry.CollectAndExportAsTextAsync(body, ct);
        await exchange.RespondBytesAsync(200, ContentType, body.ToArray(), ct);
    }
}
