using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>
/// The MirrorMaker-style contender of `bench wan`, run as its own process at the target site, as
/// MirrorMaker 2's documentation recommends ("consume remotely, produce locally"): its consumer
/// fetches across the link whatever batches the source producers wrote (uncompressed or zstd) and
/// its producer writes each record as is to the local cluster with MirrorMaker 2's producer
/// defaults (batch.size 16384, linger.ms 0, acks all, compression none).
/// </summary>
public static class WanMirror
{
    /// <summary>Mirrors the run's topics from the start until <paramref name="ct"/> is cancelled.</summary>
    /// <param name="sourceBootstrap">The source cluster, as reached from the target site.</param>
    /// <param name="targetBootstrap">The local cluster.</param>
    /// <param name="prefix">The run's topic prefix (same names on both clusters).</param>
    /// <param name="ct">Stops the mirror.</param>
    public static void Run(string sourceBootstrap, string targetBootstrap, string prefix, CancellationToken ct)
    {
        var consumerConfig = KafkaClients.Consumer(sourceBootstrap, "bench-wan-mirror-" + prefix);
        consumerConfig.FetchWaitMaxMs = WanBenchmark.FetchWaitMaxMs;
        var producerConfig = new ProducerConfig
        {
            BootstrapServers = targetBootstrap,
            BatchSize = 16_384,
            LingerMs = 0,
            Acks = Acks.All,
            CompressionType = CompressionType.None,
            // As for our producer: reports carry only the outcome (a Java mirror has no such cost).
            DeliveryReportFields = "none",
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(consumerConfig).SetLogHandler((_, _) => { }).Build();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(producerConfig).SetLogHandler((_, _) => { }).Build();

        // MirrorMaker 2's source tasks assign their partitions directly (no group join).
        consumer.Assign(WanSite.Topics(prefix).SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => new TopicPartitionOffset(t.Topic, p, Offset.Beginning))));
        var failed = 0;
        while (!ct.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            MirrorForward.Produce(producer, result, r =>
            {
                if (r.Error.IsError)
                {
                    Interlocked.Increment(ref failed);
                }
            });

            if (Volatile.Read(ref failed) > 0)
            {
                throw new InvalidOperationException("The mirror's producer failed to deliver a record.");
            }
        }
    }
}
