using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>
/// The source site's producer: the generated events (same seed every run) into a run's topics in
/// 64 KiB batches, uncompressed or zstd at the producer. Each record's timestamp is the time it was
/// produced, so the target site can tell how stale it is when it arrives.
/// </summary>
/// <remarks>
/// A backlog is produced with linger 5 ms (a producer's usual setting; batches fill anyway). At a
/// fixed rate the producer lingers 100 ms (more on a longer round trip): the embedded cluster answers a fetch with one batch per
/// partition, so a consumer a round trip away would fall behind on the many small batches of a
/// short linger, where a real broker would hand it all of them at once. With a linger longer than
/// twice the round trip, no more than one batch per partition waits at a time and the mock behaves
/// like a real broker for the remote mirror; every contender pays the same linger.
/// </remarks>
internal static class WanTraffic
{
    /// <summary>Produces <paramref name="count"/> records as fast as the cluster takes them.</summary>
    public static string Backlog(string bootstrap, string prefix, string compression, int count, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        Produce(bootstrap, prefix, compression, count, perSecond: 0, lingerMs: 5, ct);
        return string.Create(CultureInfo.InvariantCulture, $"ok {clock.Elapsed.TotalSeconds:0.00}");
    }

    /// <summary>Produces at <paramref name="perSecond"/> records/s for <paramref name="seconds"/>.</summary>
    public static string AtRate(string bootstrap, string prefix, string compression, int perSecond, double seconds, TimeSpan roundTrip, CancellationToken ct)
    {
        var count = (int)(perSecond * seconds);
        Produce(bootstrap, prefix, compression, count, perSecond, Math.Max(100, (int)(2 * roundTrip.TotalMilliseconds) + 20), ct);
        return string.Create(CultureInfo.InvariantCulture, $"ok {count}");
    }

    private static void Produce(string bootstrap, string prefix, string compression, int count, int perSecond, int lingerMs, CancellationToken ct)
    {
        var config = KafkaClients.Producer(bootstrap);
        config.LingerMs = lingerMs;
        config.BatchSize = 64 << 10;
        config.CompressionType = compression switch
        {
            "none" => CompressionType.None,
            "zstd" => CompressionType.Zstd,
            _ => throw new ArgumentException($"compression '{compression}' is not none or zstd"),
        };
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        var generator = new EventGenerator();
        var failures = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (perSecond > 0 && i % 50 == 0)
            {
                // Paced in steps of 50 records: smooth enough at thousands per second, and the
                // sleep is long enough for the timer to honour.
                var due = TimeSpan.FromSeconds((double)i / perSecond);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    Thread.Sleep(wait);
                }
            }

            var record = generator.Next();
            var headers = new Headers();
            foreach (var header in record.Headers)
            {
                headers.Add(header.Key, header.Value);
            }

            var message = new Message<byte[]?, byte[]?>
            {
                Key = record.Key,
                Value = record.Value,
                Headers = headers,
                Timestamp = new Timestamp(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), TimestampType.CreateTime),
            };
            var target = new TopicPartition($"{prefix}.{record.Topic}", record.Partition);
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
                catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(5));
                    ct.ThrowIfCancellationRequested();
                }
            }
        }

        producer.Flush(ct);
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} of {count} records could not be produced to the source cluster.");
        }
    }
}
