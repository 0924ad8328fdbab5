namespace KafkaSync.Engine.Sync;

/// <summary>What the target agent does with a record whose partition the target topic does not have.</summary>
public enum PartitionMismatch
{
    /// <summary>Stop with an error naming the topic and both partition counts (the default: order and placement are never changed silently).</summary>
    Fail,

    /// <summary>Write to partition (source partition mod target count): each source partition's order is kept, several share a target partition.</summary>
    Modulo,

    /// <summary>Let the producer's partitioner place the record by its key (the target cluster's usual placement).</summary>
    Key,
}
