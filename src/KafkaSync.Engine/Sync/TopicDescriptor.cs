using System.Text;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// A control record the source agent queues before a topic's records: it tells the target the
/// topic's partition count, so the target can create the topic with the source's count. It
/// travels through both queues and the link like any record, in order; its empty topic name
/// cannot be a Kafka topic, so it never collides with data, and the target never produces it.
/// </summary>
internal static class TopicDescriptor
{
    public static KafkaRecord Create(string topic, int partitions) => new()
    {
        Topic = "",
        Partition = partitions,
        Offset = -1,
        TimestampType = KafkaTimestampType.NotAvailable,
        Value = Encoding.UTF8.GetBytes(topic),
    };

    public static bool IsDescriptor(KafkaRecord record) => record.Topic.Length == 0;

    /// <summary>The same test on a record read in place.</summary>
    public static bool IsDescriptor(in SerializedRecord record) => record.Topic.IsEmpty;

    public static (string Topic, int Partitions) Read(in SerializedRecord record) =>
        (Encoding.UTF8.GetString(record.Value.Bytes), record.Partition);
}
