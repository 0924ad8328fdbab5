using System.Net.Http.Json;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>
/// The node list of a monitor in another process, fetched over HTTP at an interval. When the
/// monitor cannot be reached, the last list is kept (nodes keep serving reads) and the failure
/// is logged once per outage.
/// </summary>
internal sealed class RemoteNodeList : IAsyncDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Uri nodesUrl;
    private readonly TimeSpan interval;
    private readonly Action<string> log;
    private readonly CancellationTokenSource stop = new();
    private Task? loop;
    private volatile IReadOnlyList<TsdbNodeStatus> current = [];

    public RemoteNodeList(Uri monitorUrl, TimeSpan interval, Action<string> log)
    {
        nodesUrl = new Uri(monitorUrl.AbsoluteUri.TrimEnd('/') + "/nodes");
        this.interval = interval;
        this.log = log;
    }

    public IReadOnlyList<TsdbNodeStatus> Current => current;

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

                await RefreshAsync(stop.Token);
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
            current = await http.GetFromJsonAsync<List<TsdbNodeStatus>>(nodesUrl, ConfigFile.Json, cancellation) ?? [];
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
