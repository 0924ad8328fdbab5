namespace KafkaSync.Engine.Tsdb;

/// <summary>The read balancer: where it listens and how it weighs load.</summary>
public sealed record TsdbBalancerOptions
{
    /// <summary>Where queries are accepted (<c>host:port</c>); empty runs no balancer. Default <c>127.0.0.1:8090</c>.</summary>
    public string Listen { get; init; } = "127.0.0.1:8090";

    /// <summary>The weight of one in-flight connector write in a node's pressure; default 1.</summary>
    public double WriteWeight { get; init; } = 1;

    /// <summary>The weight of one in-flight proxied query in a node's pressure; default 1.</summary>
    public double ReadWeight { get; init; } = 1;

    /// <summary>How long a proxied query may take; default 60s.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A balancer running apart from the cluster reads the node list from the monitor this often; default 500ms.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
