using Confluent.Kafka;

namespace KafkaSync.Engine.Sync;

/// <summary>Producer settings and the produce call with backpressure.</summary>
internal sealed partial class TargetProducer
{
    /// <summary>
    /// The producer's buffer. Through Confluent.Kafka's producer (now the exactly-once mode's)
    /// every buffered record holds managed objects until its delivery report, so a smaller buffer
    /// means fewer long-lived objects for each collection to trace: going from 64 MiB / 100,000
    /// records to 16 MiB / 20,000 cut the pipeline's CPU by about a tenth in `bench e2e`. At
    /// 100,000 records/s it still covers 200 ms of round trips.
    /// </summary>
    internal const int BufferKbytes = 16 * 1024;

    /// <summary>Records the producer's buffer holds at most (see <see cref="BufferKbytes"/>).</summary>
    internal const int BufferMessages = 20_000;

    private ProducerConfig ProducerConfig() => new(new Dictionary<string, string>(_options.Kafka.ToClientSettings("kafka")))
    {
        ClientId = "kafkasync-target-" + _options.Name,
        Acks = Acks.All,
        // librdkafka's default: a backlog fills batches by size, a trickle should not wait.
        LingerMs = 5,
        BatchSize = 1 << 20,
        // A bounded producer buffer keeps memory flat whatever the backlog: the queue holds the rest.
        QueueBufferingMaxKbytes = BufferKbytes,
        QueueBufferingMaxMessages = BufferMessages,
        // Delivery reports only need the outcome; marshalling each record back costs CPU. It also
        // lets the exactly-once mode refill one message for every record (see ReusedMessage).
        // (The idempotent mode's own producer reads the outcome in place anyway.)
        DeliveryReportFields = "none",
    };

    /// <summary>For topic placement beside the idempotent mode's own producer.</summary>
    private AdminClientConfig AdminConfig() => new(new Dictionary<string, string>(_options.Kafka.ToClientSettings("kafka")))
    {
        ClientId = "kafkasync-target-" + _options.Name,
    };

    private IProducer<byte[]?, byte[]?> Build(ProducerConfig config)
    {
        // Pins the bundled librdkafka before the first client (see SourceConsumer.Run).
        Kafka.KafkaClients.EnsureLoaded();
        return new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetLogHandler((_, message) => OnClientLog(message.Level, message.Facility, message.Message))
            .SetErrorHandler((_, error) => OnClientError(error))
            .Build();
    }

    private void OnClientLog(SyslogLevel level, string facility, string message)
    {
        if (level <= SyslogLevel.Warning)
        {
            _log?.Report($"librdkafka {facility}: {message}");
        }
    }

    private void OnClientError(Error error)
    {
        _counters.SetError($"target cluster: {error.Reason}");
        _log?.Report($"Target cluster: {error.Reason}{(error.IsFatal ? " (fatal)" : "")}");
    }

    /// <summary>Produces, waiting (and serving delivery reports) while the producer's buffer is full.</summary>
    private void Produce(IProducer<byte[]?, byte[]?> producer, TopicPartition target, Message<byte[]?, byte[]?> message, Action<DeliveryReport<byte[]?, byte[]?>> delivered, CancellationToken stop)
    {
        while (!TryProduce(producer, target, message, delivered))
        {
            WaitForRoom(producer, stop);
        }
    }

    /// <summary>Produces; false when the producer's buffer is full.</summary>
    private static bool TryProduce(IProducer<byte[]?, byte[]?> producer, TopicPartition target, Message<byte[]?, byte[]?> message, Action<DeliveryReport<byte[]?, byte[]?>> delivered)
    {
        try
        {
            producer.Produce(target, message, delivered);
            return true;
        }
        catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
        {
            return false;
        }
    }

    /// <summary>Waits a little for delivery reports to free room in the producer's buffer.</summary>
    private void WaitForRoom(IProducer<byte[]?, byte[]?> producer, CancellationToken stop)
    {
        _counters.Note = "target cluster slow or down";
        producer.Poll(TimeSpan.FromMilliseconds(100));
        stop.ThrowIfCancellationRequested();
    }
}
