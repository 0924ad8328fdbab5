namespace KafkaSync.Engine.Sync;

/// <summary>Where the source agent starts in a partition its consumer group has no offset for.</summary>
public enum StartPosition
{
    /// <summary>At the oldest record Kafka still has (the default: copy everything).</summary>
    Earliest,

    /// <summary>At the end: copy only records written from now on.</summary>
    Latest,
}
