using Confluent.Kafka;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>What every MirrorMaker-style baseline does with a consumed record (bench e2e and bench wan).</summary>
internal static class MirrorForward
{
    /// <summary>Produces <paramref name="result"/> as it is to the same topic and partition, waiting while the producer's buffer is full.</summary>
    public static void Produce(IProducer<byte[]?, byte[]?> producer, ConsumeResult<byte[]?, byte[]?> result, Action<DeliveryReport<byte[]?, byte[]?>> delivered)
    {
        var message = new Message<byte[]?, byte[]?>
        {
            Key = result.Message.Key,
            Value = result.Message.Value,
            Headers = result.Message.Headers,
            Timestamp = result.Message.Timestamp,
        };
        while (true)
        {
            try
            {
                producer.Produce(new TopicPartition(result.Topic, result.Partition), message, delivered);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(5));
            }
        }
    }
}
