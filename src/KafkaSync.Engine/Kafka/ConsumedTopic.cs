using Confluent.Kafka;

namespace KafkaSync.Engine.Kafka;

/// <summary>A topic as <see cref="RawConsumer"/> met it: its name and a partition object per partition, made once.</summary>
/// <param name="name">The topic's name.</param>
/// <param name="nameUtf8">The name's UTF-8 bytes, as the queue stores them.</param>
internal sealed class ConsumedTopic(string name, byte[] nameUtf8)
{
    private TopicPartition[] _partitions = [];

    /// <summary>The topic's name.</summary>
    public string Name { get; } = name;

    /// <summary>The name's UTF-8 bytes, as the queue stores them.</summary>
    public byte[] NameUtf8 { get; } = nameUtf8;

    /// <summary>The <see cref="TopicPartition"/> of <paramref name="partition"/>, made once.</summary>
    public TopicPartition Partition(int partition)
    {
        if (partition >= _partitions.Length)
        {
            Array.Resize(ref _partitions, partition + 1);
        }

        return _partitions[partition] ??= new TopicPartition(Name, partition);
    }
}
