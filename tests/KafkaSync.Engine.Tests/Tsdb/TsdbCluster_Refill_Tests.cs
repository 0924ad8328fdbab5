using System.Diagnostics;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>
/// An InfluxDB node comes back empty (replaced by a new server on the same URL) while the service
/// is stopped: its group's offsets say it holds everything, its offset marker says it holds
/// nothing. It is refilled from the oldest offsets the topic holds, with its database re-created,
/// and stays out of the read list until it caught up; what the topic no longer holds is named.
/// </summary>
public sealed class TsdbCluster_Refill_Tests(ThreeInflux servers, ITestOutputHelper output) : IClassFixture<ThreeInflux>
{
    [Fact]
    public async Task Node_replaced_by_an_empty_server_is_refilled_before_it_serves_reads()
    {
        // 8,000 points as 800 records over 4 partitions.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 4);
        var database = "rf" + Guid.NewGuid().ToString("N")[..6];
        var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Nodes.Take(2), database);
        await FeedAndStopAsync(options, kafka, 4, [(8_000, 10)], 800, timeout.Token);

        servers.Nodes[1].Wipe();
        servers.Nodes[1].Start();
        var refill = Stopwatch.StartNew();
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => State(cluster, "n1") == TsdbNodeState.Available, TimeSpan.FromSeconds(60), "the replaced node is back", timeout.Token);
        refill.Stop();
        output.WriteLine($"refilled 8,000 points and back in the list after {refill.ElapsedMilliseconds} ms");

        // InfluxDB shows an accepted point at once: on re-entry the node holds everything.
        Assert.Equal(8_000, await PointCounter.CountAsync(servers.Nodes[1], database, "refill", timeout.Token));
        var status = cluster.Nodes().Single(n => n.Name == "n1");
        Assert.Null(status.DataLoss);
        Assert.Equal(0, status.LostRecords);
        Assert.Equal(8_000, status.PointsWritten);
        Assert.Equal(0, cluster.Nodes().Single(n => n.Name == "n0").PointsWritten);
        // Found out before it ever served a read (a slow health check on a loaded machine may add entries).
        var changes = cluster.Timeline().Where(e => e.Node == "n1").ToList();
        var found = changes.FindIndex(e => e.Reason.Contains("lost data", StringComparison.Ordinal));
        Assert.True(found >= 0, "the timeline does not say the node lost data");
        Assert.True(found < changes.FindIndex(e => e.To == TsdbNodeState.Available), "the node was in the list before it was found out");
        Assert.Equal(TsdbNodeState.Available, changes[^1].To);
    }

    [Fact]
    public async Task Node_missing_records_the_topic_no_longer_holds_says_so_and_gets_the_rest()
    {
        // One partition: 1,000 points in 100 small records, then 150 records of 1,000 points
        // (about 6.5 MiB), past the embedded cluster's 5 MiB per partition, which drops the oldest.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 1);
        var database = "gp" + Guid.NewGuid().ToString("N")[..6];
        var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Nodes.Take(2), database);
        await FeedAndStopAsync(options, kafka, 1, [(1_000, 10), (150_000, 1_000)], 250, timeout.Token);
        var low = LowWatermark(kafka.BootstrapServers);
        Assert.True(low > 0, "the embedded cluster kept the whole partition; the test needs it to drop the oldest records");

        servers.Nodes[1].Wipe();
        servers.Nodes[1].Start();
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => State(cluster, "n1") == TsdbNodeState.Available, TimeSpan.FromSeconds(60), "the replaced node is back", timeout.Token);

        var status = cluster.Nodes().Single(n => n.Name == "n1");
        Assert.Equal(low, status.LostRecords);
        Assert.Contains($"partition 0 offsets 0–{low - 1}", status.DataLoss, StringComparison.Ordinal);
        Assert.Contains(cluster.Timeline(), e => e.Node == "n1" && e.Reason.Contains("no longer holds", StringComparison.Ordinal));
        Assert.Null(cluster.Nodes().Single(n => n.Name == "n0").DataLoss);
        var kept = await PointCounter.CountAsync(servers.Nodes[1], database, "refill", timeout.Token);
        Assert.Equal(status.PointsWritten, kept);
        Assert.InRange(kept, 1, 150_999);
    }

    private static async Task FeedAndStopAsync(TsdbClusterOptions options, EmbeddedKafka kafka, int partitions, (int Points, int PerRecord)[] rounds, long records, CancellationToken cancellation)
    {
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: cancellation);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "every node is available", cancellation);
        using var feed = new PointFeed(kafka.BootstrapServers, "points", partitions, "refill");
        foreach (var (points, perRecord) in rounds)
        {
            await feed.ProduceAsync(points, perRecord, cancellation);
        }

        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.Offsets.Values.Sum() == records), TimeSpan.FromSeconds(60), "every node has written every record", cancellation);
    }

    private static long LowWatermark(string bootstrap)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(KafkaClients.Consumer(bootstrap, "watermarks")).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition("points", 0), TimeSpan.FromSeconds(10)).Low.Value;
    }

    private static TsdbNodeState State(TsdbCluster cluster, string name) => cluster.Nodes().Single(n => n.Name == name).State;
}
