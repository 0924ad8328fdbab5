using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>The MirrorMaker-style baseline: consume, produce each record as is, one client each.</summary>
public static partial class E2eBenchmark
{
    private static E2eRun RunMirror(Kafka.EmbeddedKafka source, int records, string compression, IProgress<string>? log, CancellationToken ct)
    {
        using var target = NewTarget();
        var consumerConfig = KafkaClients.Consumer(source.BootstrapServers, "bench-mirror-" + compression);
        consumerConfig.EnableAutoCommit = true;
        var producerConfig = new ProducerConfig
        {
            BootstrapServers = target.BootstrapServers,
            // MirrorMaker 2's producer defaults (Kafka's producer defaults it does not override).
            BatchSize = 16_384,
            LingerMs = 0,
            Acks = Acks.All,
            CompressionType = compression == "zstd" ? CompressionType.Zstd : CompressionType.None,
            StatisticsIntervalMs = 100,
            // As for our producer: reports carry only the outcome (a Java mirror has no such cost).
            DeliveryReportFields = "none",
        };
        KafkaClients.EnsureLoaded();
        long txBytes = 0;
        var delivered = 0;
        var failed = 0;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(consumerConfig).SetLogHandler((_, _) => { }).Build();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(producerConfig)
            .SetLogHandler((_, _) => { })
            .SetStatisticsHandler((_, json) => Interlocked.Exchange(ref txBytes, BrokerTxBytes(json)))
            .Build();
        var (cpu, jit) = (Cpu(), Jit());
        var clock = Stopwatch.StartNew();
        // MirrorMaker 2's source tasks assign their partitions directly (no group join). The group
        // is new, so it starts at each partition's first offset, looked up as our source agent
        // does: left to librdkafka 2.0 (stored or logical offsets), the first fetch waited 0.5 to
        // 1 s in some runs, which a Java client does not.
        consumer.Assign(Topics.SelectMany(t => Enumerable.Range(0, Partitions).Select(p => new TopicPartition(t, p)))
            .Select(tp => new TopicPartitionOffset(tp, consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(30)).Low)));
        var consumed = 0;
        var firstRecord = 0.0;
        while (consumed < records)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(5));
            if (result is null)
            {
                ct.ThrowIfCancellationRequested();
                continue;
            }

            if (consumed == 0)
            {
                firstRecord = clock.Elapsed.TotalSeconds;
                log?.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  mirror ({compression}): first record consumed at {clock.Elapsed.TotalSeconds:0.00} s"));
            }

            MirrorForward.Produce(producer, result, r =>
            {
                if (r.Error.IsError)
                {
                    Interlocked.Increment(ref failed);
                }
                else
                {
                    Interlocked.Increment(ref delivered);
                }
            });
            consumed++;
        }

        producer.Flush(ct);
        var seconds = clock.Elapsed.TotalSeconds;
        var (cpuSeconds, jitSeconds) = (Cpu() - cpu, Jit() - jit);
        if (failed > 0 || delivered != records)
        {
            throw new InvalidOperationException($"The mirror delivered {delivered} of {records} records ({failed} failed).");
        }

        // Let one more statistics report arrive so txbytes includes the last requests.
        var seen = Interlocked.Read(ref txBytes);
        var deadline = Stopwatch.StartNew();
        while (Interlocked.Read(ref txBytes) == seen && deadline.Elapsed < TimeSpan.FromSeconds(2))
        {
            Thread.Sleep(50);
        }

        consumer.Close();
        var run = new E2eRun($"mirror (compression {compression})", records, seconds, Interlocked.Read(ref txBytes), "librdkafka statistics: sum of the producer's brokers' txbytes", cpuSeconds, jitSeconds, firstRecord);
        log?.Report(Line(run));
        return run;
    }

    /// <summary>Sum of "txbytes" over the brokers in a librdkafka statistics report.</summary>
    internal static long BrokerTxBytes(string json)
    {
        using var doc = JsonDocument.Parse(json);
        long total = 0;
        foreach (var broker in doc.RootElement.GetProperty("brokers").EnumerateObject())
        {
            total += broker.Value.GetProperty("txbytes").GetInt64();
        }

        return total;
    }
}
