using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>Turns Confluent.Kafka messages into our records and back, keeping every byte.</summary>
internal static class RecordMapping
{
    public const string SourceClusterHeader = "kafkasync.source.cluster";
    public const string SourceTopicHeader = "kafkasync.source.topic";
    public const string SourcePartitionHeader = "kafkasync.source.partition";
    public const string SourceOffsetHeader = "kafkasync.source.offset";

    /// <summary>
    /// librdkafka's producer can only send CreateTime; a LogAppendTime source timestamp is kept as
    /// its value, and the target topic's message.timestamp.type decides the type.
    /// </summary>
    public static Timestamp TimestampOf(KafkaRecord record) =>
        record.TimestampType == KafkaTimestampType.NotAvailable
            ? Timestamp.Default
            : new Timestamp(record.Timestamp, TimestampType.CreateTime);
}
