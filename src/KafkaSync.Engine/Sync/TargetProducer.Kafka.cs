using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>Producer settings and the produce call with backpressure.</summary>
internal sealed partial class TargetProducer
{
    /// <summary>
    /// The producer's buffer. When records went through Confluent.Kafka's producer, every
    /// buffered record held managed objects until its delivery report, and going from 64 MiB /
    /// 100,000 records to 16 MiB / 20,000 cut the pipeline's CPU by about a tenth in `bench e2e`.
    /// It stays at that: at 100,000 records/s it covers 200 ms of round trips, and it bounds the
    /// memory a backlog takes.
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
    };

    /// <summary>
    /// The admin client topic placement uses beside the producer. Quiet: the producer reports
    /// the same cluster's state; left alone, librdkafka would print the admin client's
    /// connection failures to stderr in its own format.
    /// </summary>
    private IAdminClient QuietAdminClient()
    {
        // Pins the bundled librdkafka before the first client (see SourceConsumer.Run).
        Kafka.KafkaClients.EnsureLoaded();
        var config = new AdminClientConfig(new Dictionary<string, string>(_options.Kafka.ToClientSettings("kafka")))
        {
            ClientId = "kafkasync-target-" + _options.Name,
        };
        return new AdminClientBuilder(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
    }

    private void OnClientLog(SyslogLevel level, string facility, string message)
    {
        if (level <= SyslogLevel.Warning)
        {
            _kafkaReports.Report($"librdkafka {facility}: {message}");
        }
    }

    private void OnClientError(Error error)
    {
        _counters.SetError($"target cluster: {error.Reason}");
        _kafkaReports.Report($"Target cluster: {error.Reason}{(error.IsFatal ? " (fatal)" : "")}");
    }

    /// <summary>
    /// Produces <paramref name="record"/> (read from <paramref name="payload"/>) with
    /// <paramref name="opaque"/> for its report, waiting while the producer's buffer is full:
    /// only a report makes room.
    /// </summary>
    /// <exception cref="KafkaException">librdkafka refused the record before sending it.</exception>
    private void Produce(RawProducer producer, ProduceArguments arguments, TopicPartition target, ReadOnlySpan<byte> payload, in SerializedRecord record, long opaque, CancellationToken stop)
    {
        var topic = ProduceTopic(producer, target);
        var seen = producer.Reports;
        // Partition.Any is librdkafka's "unassigned" (-1): its partitioner places by key.
        while (!arguments.TryProduce(producer, topic, target.Partition.Value, payload, record, opaque))
        {
            _counters.Note = "target cluster slow or down";
            seen = producer.WaitForReportAfter(seen, TimeSpan.FromMilliseconds(100));
            stop.ThrowIfCancellationRequested();
        }
    }

    /// <summary>What stops the agent when librdkafka refused a record outright (it never reached the cluster).</summary>
    private static AgentException RefusedBeforeSending(long seq, TopicPartition target, KafkaException refused) =>
        new($"The target producer refused seq {seq} for {target.Topic}[{target.Partition.Value}] before sending it: {refused.Error.Reason}. The produced cursor stays before it; fix the cause (for a record too large: raise kafka.settings message.max.bytes, and the target topic's max.message.bytes) and restart the agent.", refused);

    private IntPtr ProduceTopic(RawProducer producer, TopicPartition target)
    {
        // Placement hands out the same TopicPartition for a run of records of one partition.
        if (_produceTopic is { } last && ReferenceEquals(last.Target, target))
        {
            return last.Topic;
        }

        var topic = producer.Topic(target.Topic);
        _produceTopic = (target, topic);
        return topic;
    }
}
