using System.Net.Http.Json;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>
/// The node list of a monitor in another process, fetched over HTTP at an interval. When the
/// monitor cannot be reached, the last list is kept (nodes keep serving reads) and the failure
/// is logged once per outage. A node this balancer could not reach is reported to the monitor
/// and kept out of this list until the monitor has changed the node's state since (it took the
/// report, or saw the node return), or for at most <see cref="MaxLocalExclusion"/>.
/// </summary>
internal sealed class RemoteNodeList : IAsyncDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Uri monitorUrl;
    private readonly Uri nodesUrl;
    private readonly TimeSpan interval;
    private readonly Action<string> log;
    private readonly CancellationTokenSource stop = new();
    private Task? loop;
    /// <summary>A node reported by this balancer stays out of its list at most this long when the monitor never reacts.</summary>
    private static readonly TimeSpan MaxLocalExclusion = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, (DateTimeOffset MonitorSince, DateTime Until)> excluded = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<TsdbNodeStatus> fetched = [];
    private volatile IReadOnlyList<TsdbNodeStatus> current = [];

    public RemoteNodeList(Uri monitorUrl, TimeSpan interval, Action<string> log)
    {
        this.monitorUrl = new Uri(monitorUrl.AbsoluteUri.TrimEnd('/') + "/");
        nodesUrl = new Uri(this.monitorUrl, "nodes");
        this.interval = interval;
        this.log = log;
    }

    public IReadOnlyList<TsdbNodeStatus> Current => current;

    /// <summary>Takes <paramref name="node"/> out of this balancer's list now and tells the monitor.</summary>
    public void ReportFailure(string node, string reason)
    {
        lock (excluded)
        {
            var since = fetched.FirstOrDefault(n => n.Name == node)?.Since ?? default;
            excluded[node] = (since, DateTime.UtcNow + MaxLocalExclusion);
            Publish();
        }

        _ = TellMonitorAsync(node, reason);
    }

    private async Task TellMonitorAsync(string node, string reason)
    {
        try
        {
            using var content = new StringContent(reason);
            using var response = await http.PostAsync(new Uri(monitorUrl, NodeFailureReport.PathOf(node).TrimStart('/')), content, stop.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            // The monitor's own health check removes a dead node a little later.
        }
    }

    /// <summary>The fetched list with the nodes this balancer reported still shown unavailable.</summary>
    private void Publish()
    {
        var list = fetched;
        if (excluded.Count == 0)
        {
            current = list;
            return;
        }

        var now = DateTime.UtcNow;
        foreach (var (name, (since, until)) in excluded.ToList())
        {
            var node = list.FirstOrDefault(n => n.Name == name);
            if (node == null || node.Since != since || now > until)
            {
                excluded.Remove(name);
            }
        }

        current = list.Select(n => excluded.ContainsKey(n.Name) && n.State == TsdbNodeState.Available
            ? n with { State = TsdbNodeState.Unavailable, LastError = "this balancer could not reach it" }
            : n).ToList();
    }

    /// <summary>Fetches the list once (so the first query has one) and keeps refreshing it.</summary>
    public async Task StartAsync(CancellationToken cancellation)
    {
        await RefreshAsync(cancellation);
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    await RefreshAsync(stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // Disposed while a refresh was in flight.
                    return;
                }
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (loop != null)
        {
            await loop;
        }

        http.Dispose();
        stop.Dispose();
    }

    private bool failing;

    private async Task RefreshAsync(CancellationToken cancellation)
    {
        try
        {
            var list = await http.GetFromJsonAsync<List<TsdbNodeStatus>>(nodesUrl, ConfigFile.Json, cancellation) ?? [];
            lock (excluded)
            {
                fetched = list;
                Publish();
            }

            if (failing)
            {
                log($"monitor at {nodesUrl} answers again");
                failing = false;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            if (!failing)
            {
                log($"cannot read the node list from {nodesUrl}, keeping the last one: {ex.Message}");
                failing = true;
            }
        }
    }
}
