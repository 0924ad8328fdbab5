using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace KafkaSync.Engine.Tsdb.Writing;

/// <summary>
/// Talks to one time-series node over HTTP: line-protocol writes, health checks and, for
/// InfluxDB, creating the database and retention policy.
/// </summary>
internal sealed partial class NodeClient : IDisposable
{
    private readonly HttpClient http;
    private readonly Uri writeUri;
    private readonly Uri healthUri;
    private readonly TsdbNodeKind kind;
    private readonly TsdbInfluxOptions influx;
    private readonly AuthenticationHeaderValue? auth;

    public NodeClient(TsdbNodeKind kind, Uri baseUrl, TsdbInfluxOptions influx, string password, TimeSpan requestTimeout)
    {
        this.kind = kind;
        this.influx = influx;
        BaseUrl = baseUrl;
        http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = requestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
        })
        {
            Timeout = requestTimeout,
        };

        var query = new StringBuilder("write?precision=").Append(Uri.EscapeDataString(influx.Precision));
        if (kind == TsdbNodeKind.InfluxDb)
        {
            query.Append("&db=").Append(Uri.EscapeDataString(influx.Database));
            if (!string.IsNullOrEmpty(influx.RetentionPolicy))
            {
                query.Append("&rp=").Append(Uri.EscapeDataString(influx.RetentionPolicy));
            }
        }

        writeUri = new Uri(WithSlash(baseUrl), query.ToString());
        healthUri = new Uri(WithSlash(baseUrl), kind == TsdbNodeKind.InfluxDb ? "ping" : "health");
        if (!string.IsNullOrEmpty(influx.Username))
        {
            auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(influx.Username + ":" + password)));
        }
    }

    public Uri BaseUrl { get; }

    /// <summary>Posts line protocol and classifies the answer; never throws for node failures.</summary>
    public async Task<WriteResult> WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellation)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, writeUri) { Content = new ReadOnlyMemoryContent(lines) };
            request.Headers.Authorization = auth;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellation);
            if (response.IsSuccessStatusCode)
            {
                return WriteResult.Ok;
            }

            var body = await response.Content.ReadAsStringAsync(cancellation);
            return ResponseClassifier.Classify((int)response.StatusCode, body);
        }
        catch (HttpRequestException ex)
        {
            return new WriteResult(WriteOutcome.Transient, 0, "cannot reach the node: " + ex.Message);
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return new WriteResult(WriteOutcome.Transient, 0, $"no answer within {Configuration.Duration.Format(http.Timeout)}");
        }
    }

    /// <summary>Checks the node's health endpoint; returns null when healthy, else why not.</summary>
    public async Task<string?> CheckHealthAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, healthUri);
            request.Headers.Authorization = auth;
            using var response = await http.SendAsync(request, deadline.Token);
            return response.IsSuccessStatusCode ? null : $"health check answered HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return "health check failed: " + ex.Message;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return $"health check got no answer within {Configuration.Duration.Format(timeout)}";
        }
    }

    /// <summary>Creates the database and the retention policy on an InfluxDB node (both statements are idempotent).</summary>
    public async Task EnsureDatabaseAsync(CancellationToken cancellation)
    {
        if (kind != TsdbNodeKind.InfluxDb)
        {
            return;
        }

        await InfluxQueryAsync($"CREATE DATABASE {Quote(influx.Database)}", cancellation);
        if (!string.IsNullOrEmpty(influx.RetentionPolicy) && !string.IsNullOrEmpty(influx.RetentionDuration))
        {
            var statement = string.Create(CultureInfo.InvariantCulture,
                $"CREATE RETENTION POLICY {Quote(influx.RetentionPolicy)} ON {Quote(influx.Database)} DURATION {influx.RetentionDuration} REPLICATION 1");
            await InfluxQueryAsync(statement, cancellation);
        }
    }

    /// <summary>Runs one InfluxQL statement with POST; throws with the node's message when it fails.</summary>
    private async Task InfluxQueryAsync(string statement, CancellationToken cancellation)
    {
        var form = new Dictionary<string, string> { ["q"] = statement };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(WithSlash(BaseUrl), "query")) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = auth;
        using var response = await http.SendAsync(request, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
        {
            var hint = (int)response.StatusCode is 401 or 403 ? " (check influx.username and the password)" : "";
            throw new InvalidOperationException($"InfluxDB at {BaseUrl} refused '{statement}': HTTP {(int)response.StatusCode} {body.Trim()}{hint}");
        }
    }

    public void Dispose() => http.Dispose();

    private static string Quote(string identifier) => "\"" + identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
