namespace KafkaSync.Engine.Tsdb;

/// <summary>Where a node stands in the monitor's available node list.</summary>
public enum TsdbNodeState
{
    /// <summary>Healthy and caught up: reads may go to it.</summary>
    Available,

    /// <summary>A write or a health check failed: no reads go to it; its connector retries at intervals.</summary>
    Unavailable,

    /// <summary>Healthy again (or just started) but behind the most advanced node: no reads until it catches up.</summary>
    CatchingUp,
}
