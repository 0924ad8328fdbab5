namespace KafkaSync.Engine.Sync;

/// <summary>The headers a target agent adds to every record with provenance headers on.</summary>
internal static class ProvenanceHeaderNames
{
    public const string SourceCluster = "kafkasync.source.cluster";
    public const string SourceTopic = "kafkasync.source.topic";
    public const string SourcePartition = "kafkasync.source.partition";
    public const string SourceOffset = "kafkasync.source.offset";
}
