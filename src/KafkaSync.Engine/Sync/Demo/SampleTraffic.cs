using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Sync.Demo;

/// <summary>
/// Sample records like a fleet of sensors and shops would send: keys, JSON values, two headers,
/// increasing timestamps, spread evenly over topics and partitions. Deterministic per index.
/// </summary>
internal static class SampleTraffic
{
    private static readonly string[] Sites = ["berlin", "lisbon", "oslo", "madrid", "vienna", "dublin"];
    private static readonly string[] Kinds = ["temperature", "humidity", "pressure", "order", "payment", "click"];

    public static Message<byte[], byte[]> Create(int i, long baseTime)
    {
        var site = Sites[i % Sites.Length];
        var kind = Kinds[i / 7 % Kinds.Length];
        var value = string.Create(CultureInfo.InvariantCulture,
            $"{{\"id\":{i},\"site\":\"{site}\",\"device\":\"dev-{i % 500:D4}\",\"kind\":\"{kind}\",\"value\":{i * 37 % 10_000 / 100.0},\"unit\":\"{(kind == "temperature" ? "C" : "n")}\",\"ok\":{(i % 13 != 0 ? "true" : "false")},\"ts\":{baseTime + i}}}");
        return new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes($"dev-{i % 500:D4}"),
            Value = Encoding.UTF8.GetBytes(value),
            Headers =
            [
                new Header("content-type", "application/json"u8.ToArray()),
                new Header("trace-id", Encoding.UTF8.GetBytes(((long)i * 2654435761 % 1_000_000_007).ToString("x8", CultureInfo.InvariantCulture))),
            ],
            Timestamp = new Timestamp(baseTime + i, TimestampType.CreateTime),
        };
    }

    /// <summary>Produces records <paramref name="start"/>..start+count-1; returns their value bytes.</summary>
    public static long Produce(string bootstrap, IReadOnlyList<string> topics, int partitions, int start, int count, CancellationToken ct)
    {
        var config = KafkaClients.Producer(bootstrap);
        config.LingerMs = 100;
        config.BatchSize = 4 << 20;
        using var producer = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var baseTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - count;
        long bytes = 0;
        var failures = 0;
        for (var i = start; i < start + count; i++)
        {
            var message = Create(i, baseTime);
            bytes += message.Value.Length + message.Key.Length;
            var target = new TopicPartition(topics[i % topics.Count], i / topics.Count % partitions);
            while (true)
            {
                try
                {
                    producer.Produce(target, message, r =>
                    {
                        if (r.Error.IsError)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    });
                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(20));
                    ct.ThrowIfCancellationRequested();
                }
            }
        }

        producer.Flush(ct);
        if (failures > 0)
        {
            throw new AgentException($"{failures} sample record(s) could not be produced to the source cluster.");
        }

        return bytes;
    }
}
