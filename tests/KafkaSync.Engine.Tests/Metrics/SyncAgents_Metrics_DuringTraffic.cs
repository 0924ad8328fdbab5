using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Metrics;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Tests.Sync;

namespace KafkaSync.Engine.Tests.Metrics;

/// <summary>
/// Both agents run with metrics on free ports between two embedded clusters; their endpoints are
/// scraped over real sockets while records flow and after, and the parsed numbers are checked
/// against what the test produced: records and key+value bytes per topic-partition on each side,
/// the link, the queues, the fsync and latency histograms. 3,000 small records over 4 partitions
/// stay far under the mock cluster's per-partition cap.
/// </summary>
public sealed class SyncAgents_Metrics_DuringTraffic
{
    private static readonly string[] Topics = ["orders", "clicks"];
    private const int Partitions = 2;
    private const int Records = 3_000;

    [Fact]
    public async Task Scrapes_count_every_record_per_topic_partition_on_both_sides_and_show_the_link_and_queues()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, Partitions);
        var metricsOn = new MetricsOptions { Listen = "127.0.0.1:0" };
        var target = new TargetAgent(harness.TargetOptions() with { Metrics = metricsOn });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var targetRun = target.RunAsync(stop.Token);
        var endpoint = await target.Listening;
        var source = new SourceAgent(harness.SourceOptions($"127.0.0.1:{endpoint.Port}", Topics) with { Metrics = metricsOn });
        var sourceRun = source.RunAsync(stop.Token);
        await Tsdb.Fixtures.Poll.UntilAsync(() => source.MetricsUrl is not null || sourceRun.IsCompleted, TimeSpan.FromSeconds(30), "the source serves metrics", timeout.Token);
        var sourceUrl = source.MetricsUrl!;
        var targetUrl = target.MetricsUrl!;

        await Scrape.UntilAsync(sourceUrl, m => m.Value("kafkasync_link_up") == 1, TimeSpan.FromSeconds(30), "the source reports the link up", timeout.Token);
        var expected = await ProduceAsync(harness.Source.BootstrapServers, timeout.Token);

        var targetScrape = await Scrape.UntilAsync(
            targetUrl,
            m => m.Find("kafkasync_target_produced_records_total").Sum(s => s.Value) == Records && m.Value("kafkasync_queue_pending_records") == 0,
            TimeSpan.FromSeconds(60),
            $"the target counts {Records} records produced and an empty queue",
            timeout.Token);
        var sourceScrape = await Scrape.UntilAsync(
            sourceUrl,
            m => m.Value("kafkasync_agent_records_in_total") == Records && m.Value("kafkasync_queue_pending_records") == 0,
            TimeSpan.FromSeconds(30),
            "the source counts every record durable and acknowledged",
            timeout.Token);
        using (var client = new HttpClient())
        {
            using var wrongPath = await client.GetAsync(new Uri(sourceUrl, "/"), timeout.Token);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, wrongPath.StatusCode);
        }

        stop.Cancel();
        await sourceRun;
        await targetRun;

        foreach (var ((topic, partition), (count, bytes)) in expected)
        {
            var tp = new[] { ("topic", topic), ("partition", partition.ToString(CultureInfo.InvariantCulture)) };
            Assert.Equal(count, sourceScrape.Value("kafkasync_source_consumed_records_total", tp));
            Assert.Equal(bytes, sourceScrape.Value("kafkasync_source_consumed_bytes_total", tp));
            Assert.Equal(count, targetScrape.Value("kafkasync_target_produced_records_total", tp));
            Assert.Equal(bytes, targetScrape.Value("kafkasync_target_produced_bytes_total", tp));
            // Produced with the current time: ages and latencies are seconds, not the minutes a stale timestamp would give.
            Assert.InRange(sourceScrape.Value("kafkasync_source_record_age_seconds", tp), 0, 60);
            Assert.InRange(targetScrape.Value("kafkasync_target_replication_latency_seconds", tp), 0, 60);
        }

        CheckHistogram(targetScrape, "kafkasync_replication_latency_seconds", exactCount: Records, maxMean: 60);
        CheckHistogram(sourceScrape, "kafkasync_source_record_age_at_consume_seconds", exactCount: Records, maxMean: 60);
        CheckHistogram(sourceScrape, "kafkasync_queue_fsync_duration_seconds", exactCount: null, maxMean: 2);
        CheckHistogram(targetScrape, "kafkasync_queue_fsync_duration_seconds", exactCount: null, maxMean: 2);

        foreach (var (scrape, role) in new[] { (sourceScrape, "source"), (targetScrape, "target") })
        {
            Assert.All(scrape.Samples.Where(s => s.Name.StartsWith("kafkasync_", StringComparison.Ordinal)), s => Assert.Equal(role, s.Labels["role"]));
            Assert.Equal(1, scrape.Value("kafkasync_agent_state", ("state", "running")));
            Assert.Equal(0, scrape.Value("kafkasync_agent_state", ("state", "failed")));
            Assert.Equal(1, scrape.Value("kafkasync_link_state", ("state", "connected")));
            Assert.Equal(1, scrape.Value("kafkasync_link_connections_total"));
            Assert.Equal(0, scrape.Value("kafkasync_link_reconnects_total"));
            Assert.Equal(0, scrape.Value("kafkasync_link_failures_total"));
            Assert.Equal(8L << 30, scrape.Value("kafkasync_queue_capacity_bytes"));
            Assert.InRange(scrape.Value("kafkasync_queue_bytes"), 1, 8L << 30);
            Assert.Equal(0, scrape.Value("kafkasync_queue_lost_records"));
            // Every record plus one topic descriptor per topic crossed the link.
            Assert.Equal(Records + Topics.Length, scrape.Value("kafkasync_link_records_total"));
            Assert.Equal(scrape.Value("kafkasync_queue_next_seq") - 1, scrape.Value("kafkasync_queue_done_seq"));
            Assert.True(scrape.Value("kafkasync_link_compression_ratio") > 1, "the link compresses");
            Assert.True(scrape.Value("kafkasync_link_wire_bytes_total") < scrape.Value("kafkasync_link_record_bytes_total"), "fewer bytes on the wire than in the records");
            Assert.NotEmpty(scrape.Find("process_cpu_seconds_total"));
        }

        Assert.Equal(Records, targetScrape.Value("kafkasync_agent_records_out_total"));
        Assert.InRange(sourceScrape.Value("kafkasync_link_zstd_level"), 1, 22);
        Assert.Empty(targetScrape.Find("kafkasync_link_zstd_level"));
        Assert.Equal("s1", sourceScrape.Find("kafkasync_agent_info").Single().Labels["agent"]);
        Assert.Equal("t1", targetScrape.Find("kafkasync_agent_info").Single().Labels["agent"]);
    }

    /// <summary>Buckets rise to +Inf, +Inf equals the count, the mean is below <paramref name="maxMean"/>.</summary>
    private static void CheckHistogram(PrometheusText scrape, string name, long? exactCount, double maxMean)
    {
        var count = scrape.Value(name + "_count");
        var sum = scrape.Value(name + "_sum");
        var buckets = scrape.Find(name + "_bucket")
            .Select(s => (Le: s.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(s.Labels["le"], CultureInfo.InvariantCulture), s.Value))
            .OrderBy(b => b.Le)
            .ToList();
        Assert.True(buckets.Count > 5, $"{name} has {buckets.Count} buckets");
        Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.Value <= p.Second.Value), $"{name} buckets are not cumulative");
        Assert.Equal(count, buckets[^1].Value);
        if (exactCount is { } exact)
        {
            Assert.Equal(exact, count);
        }
        else
        {
            Assert.True(count > 0, $"{name} observed nothing");
        }

        Assert.InRange(sum / count, 0, maxMean);
    }

    /// <summary>Produces the records with today's timestamps to known partitions; returns records and key+value bytes per partition.</summary>
    private static async Task<Dictionary<(string Topic, int Partition), (long Records, long Bytes)>> ProduceAsync(string bootstrap, CancellationToken ct)
    {
        var expected = new Dictionary<(string, int), (long, long)>();
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClients.Producer(bootstrap)).Build();
        var failed = 0;
        for (var i = 0; i < Records; i++)
        {
            var topic = Topics[i % Topics.Length];
            var partition = i / Topics.Length % Partitions;
            var key = Encoding.UTF8.GetBytes($"k{i % 97}");
            var value = Encoding.UTF8.GetBytes($"{{\"id\":{i},\"pad\":\"{new string('x', i % 50)}\"}}");
            producer.Produce(new TopicPartition(topic, partition), new Message<byte[], byte[]> { Key = key, Value = value }, r =>
            {
                if (r.Error.IsError)
                {
                    Interlocked.Increment(ref failed);
                }
            });
            var (records, bytes) = expected.GetValueOrDefault((topic, partition));
            expected[(topic, partition)] = (records + 1, bytes + key.Length + value.Length);
        }

        await Task.Run(() => producer.Flush(ct), ct);
        Assert.Equal(0, failed);
        return expected;
    }
}
