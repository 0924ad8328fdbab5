namespace KafkaSync.Engine.Tsdb.Writing;

/// <summary>What a node's answer to a write means for the connector.</summary>
internal enum WriteOutcome
{
    /// <summary>Every point was stored.</summary>
    Written,

    /// <summary>The node is failing (unreachable, overloaded, 5xx, refused credentials): report it, keep offsets, retry later.</summary>
    Transient,

    /// <summary>The node will never take these points as they are (bad line, unknown database or retention policy): dead-letter them.</summary>
    Permanent,
}
