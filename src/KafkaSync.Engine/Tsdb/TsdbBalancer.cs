using KafkaSync.Engine.Tsdb.Balancing;

namespace KafkaSync.Engine.Tsdb;

/// <summary>
/// A read balancer running apart from the cluster service, reading the available node list
/// from the monitor's status endpoint; run several for a read tier with no single point of failure.
/// A node it cannot reach is reported to the monitor at once and skipped by this balancer until
/// the monitor has changed the node's state.
/// </summary>
public sealed class TsdbBalancer : IAsyncDisposable
{
    private readonly RemoteNodeList nodes;
    private readonly ReadBalancer balancer;

    private TsdbBalancer(RemoteNodeList nodes, ReadBalancer balancer)
    {
        this.nodes = nodes;
        this.balancer = balancer;
    }

    /// <summary>The balancer's base URL.</summary>
    public Uri Url => balancer.Url;

    /// <summary>Starts a balancer on <paramref name="listen"/> for the cluster whose status endpoint is <paramref name="monitorUrl"/>.</summary>
    /// <param name="options">The cluster (its kind and the balancer's weights are used).</param>
    /// <param name="monitorUrl">The cluster service's status endpoint, e.g. <c>http://10.0.0.9:8089/</c>.</param>
    /// <param name="listen">Where to accept queries (<c>host:port</c>).</param>
    /// <param name="log">Receives a line when the monitor cannot be reached and when it answers again.</param>
    /// <param name="cancellation">Cancels the start.</param>
    public static async Task<TsdbBalancer> StartAsync(TsdbClusterOptions options, Uri monitorUrl, string listen, IProgress<string>? log = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var list = new RemoteNodeList(monitorUrl, options.Balancer.RefreshInterval, log == null ? _ => { } : log.Report);
        await list.StartAsync(cancellation);
        try
        {
            return new TsdbBalancer(list, new ReadBalancer(options, listen, () => list.Current, new ReadCounters(), list.ReportFailure));
        }
        catch
        {
            await list.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops accepting queries.</summary>
    public async ValueTask DisposeAsync()
    {
        await balancer.DisposeAsync();
        await nodes.DisposeAsync();
    }
}
