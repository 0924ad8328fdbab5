namespace KafkaSync.Engine.Tsdb;

/// <summary>How the monitor keeps the available node list, and where it publishes it.</summary>
public sealed record TsdbMonitorOptions
{
    /// <summary>Every node's health endpoint is checked this often; default 2s.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A node's health check fails when it takes longer than this; default 1s.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A recovering node re-enters the list once, on every partition, its committed offset is at
    /// most this many records behind the most advanced node; default 0.
    /// </summary>
    public long CatchUpTolerance { get; init; }

    /// <summary>The default of <see cref="Listen"/>.</summary>
    public const string DefaultListen = "127.0.0.1:8089";

    /// <summary>Where the node list and timeline are served over HTTP (<c>host:port</c>); empty for nowhere. Default <c>127.0.0.1:8089</c>.</summary>
    public string Listen { get; init; } = DefaultListen;
}
