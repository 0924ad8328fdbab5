using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// Where records a node rejects for good are kept, with the reason: JSON lines appended to a
/// file and/or produced to a Kafka topic. A dead letter is durable before the record's offset
/// may be committed, so nothing is dropped silently.
/// </summary>
internal sealed class DeadLetterSink : IDisposable
{
    private readonly object gate = new();
    private readonly string? path;
    private readonly string? topic;
    private readonly IProducer<string, string>? producer;

    public DeadLetterSink(TsdbDeadLetterOptions options, string bootstrapServers)
    {
        path = string.IsNullOrEmpty(options.Path) ? null : Path.GetFullPath(options.Path);
        topic = string.IsNullOrEmpty(options.Topic) ? null : options.Topic;
        if (path != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }

        if (topic != null)
        {
            var config = KafkaClients.Producer(bootstrapServers);
            config.LingerMs = 0;
            config.EnableIdempotence = true;
            // Quiet: a failed write throws (see Write); left alone, librdkafka would print its own lines to stderr.
            producer = new ProducerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
        }
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Keeps <paramref name="record"/> with <paramref name="reason"/>; throws when it cannot, so the offset is not committed.</summary>
    public void Write(string node, ReceivedRecord record, string reason)
    {
        var json = JsonSerializer.Serialize(new DeadLetter(
            DateTimeOffset.UtcNow, node, reason, record.Topic, record.Partition, record.Offset, record.Timestamp,
            Encoding.UTF8.GetString(record.Value)), Json);
        lock (gate)
        {
            if (path != null)
            {
                using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                var bytes = Encoding.UTF8.GetBytes(json + "\n");
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            if (producer != null)
            {
                producer.ProduceAsync(topic, new Message<string, string> { Key = node, Value = json }).GetAwaiter().GetResult();
            }

            if (path == null && producer == null)
            {
                // No sink configured: the log line is the only record left, so it carries everything.
                Console.Error.WriteLine("kafkasync: dead letter (configure deadLetter.path or deadLetter.topic to keep them): " + json);
            }
        }
    }

    public void Dispose() => producer?.Dispose();

    private sealed record DeadLetter(DateTimeOffset At, string Node, string Reason, string Topic, int Partition, long Offset, long Timestamp, string Record);
}
