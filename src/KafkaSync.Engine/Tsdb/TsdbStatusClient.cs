using System.Net.Http.Json;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Tsdb;

/// <summary>Reads a running cluster service's node list and timeline from its status endpoint.</summary>
public static class TsdbStatusClient
{
    /// <summary>The status URL of a cluster service that listens where <see cref="TsdbMonitorOptions.Listen"/> defaults to.</summary>
    public const string DefaultUrl = "http://" + TsdbMonitorOptions.DefaultListen + "/";

    /// <summary>The nodes, as <c>GET {statusUrl}/nodes</c> returns them.</summary>
    /// <exception cref="InvalidOperationException">The endpoint cannot be reached or answered something else.</exception>
    public static Task<IReadOnlyList<TsdbNodeStatus>> GetNodesAsync(Uri statusUrl, CancellationToken cancellation = default) =>
        GetAsync<TsdbNodeStatus>(statusUrl, "nodes", cancellation);

    /// <summary>The timeline, as <c>GET {statusUrl}/timeline</c> returns it.</summary>
    /// <exception cref="InvalidOperationException">The endpoint cannot be reached or answered something else.</exception>
    public static Task<IReadOnlyList<TsdbTimelineEntry>> GetTimelineAsync(Uri statusUrl, CancellationToken cancellation = default) =>
        GetAsync<TsdbTimelineEntry>(statusUrl, "timeline", cancellation);

    private static async Task<IReadOnlyList<T>> GetAsync<T>(Uri statusUrl, string what, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(statusUrl);
        var url = new Uri(statusUrl.AbsoluteUri.TrimEnd('/') + "/" + what);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            return await http.GetFromJsonAsync<List<T>>(url, ConfigFile.Json, cancellation) ?? [];
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            throw new InvalidOperationException($"cannot read {what} from {url}: {ex.Message}", ex);
        }
    }
}
