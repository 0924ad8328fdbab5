using System.Diagnostics;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>
/// Every node of a cluster ends with every point. Mock-cluster limits respected: the connectors
/// join before anything is produced, and 100,000 points as 10,000 records of 10 lines over 8
/// partitions keep each partition near 1,250 records and 0.6 MiB (the cap is 100,000 / 5 MiB).
/// </summary>
public sealed class TsdbCluster_Feed_Tests(FiveServers servers) : IClassFixture<FiveServers>
{
    private const int Points = 100_000;

    [Fact]
    public Task Three_InfluxDB_nodes_each_end_with_all_100000_points() => FeedAsync(servers.Influx);

    [Fact]
    public Task Two_VictoriaMetrics_nodes_each_end_with_all_100000_points() => FeedAsync(servers.Victoria);

    private static async Task FeedAsync(IReadOnlyList<TsdbServer> nodes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 8);
        var measurement = "feed" + Guid.NewGuid().ToString("N")[..6];
        var options = TestClusters.Options(kafka.BootstrapServers, "points", nodes, "feeddb");
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "every connector joined its group", timeout.Token);

        var fedFrom = DateTimeOffset.UtcNow;
        using (var feed = new PointFeed(kafka.BootstrapServers, "points", 8, measurement))
        {
            await feed.ProduceAsync(Points, linesPerRecord: 10, timeout.Token);
        }

        foreach (var node in nodes)
        {
            await Poll.UntilAsync(async () => await PointCounter.CountAsync(node, "feeddb", measurement, timeout.Token) == Points,
                TimeSpan.FromSeconds(60), $"node {node.Url} holds {Points} points", timeout.Token);
        }

        // Offsets: every group committed to the end of every partition (8 x 1,250 records).
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.Lag == 0 && n.Offsets.Values.Sum() == Points / 10), TimeSpan.FromSeconds(10), "every group committed everything", timeout.Token);
        Assert.All(cluster.Nodes(), n => Assert.Equal(Points, n.PointsWritten));
        Assert.All(cluster.Nodes(), n => Assert.Equal(0, n.DeadLetters));
        Assert.Equal(nodes.Count, cluster.Nodes().Select(n => n.ConsumerGroup).Distinct().Count());
        Assert.All(cluster.Nodes(), n => Assert.True(n.LastCommitAt >= fedFrom, $"{n.Name} last committed at {n.LastCommitAt}, before the feed began at {fedFrom}"));
    }

    [Fact]
    public async Task A_new_group_starts_where_auto_offset_reset_says_earliest_by_default_latest_when_asked()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 4);
        var measurement = "start" + Guid.NewGuid().ToString("N")[..6];
        using var feed = new PointFeed(kafka.BootstrapServers, "points", 4, measurement);
        await feed.ProduceAsync(2_000, linesPerRecord: 10, timeout.Token);
        var earliest = TestClusters.Options(kafka.BootstrapServers, "points", servers.Victoria.Take(1), "startdb") with { Name = "from-earliest" };
        var latest = earliest with { Name = "from-latest", Kafka = earliest.Kafka with { Consumer = new Dictionary<string, string> { ["auto.offset.reset"] = "latest" } } };
        await using var fromEarliest = await TsdbCluster.StartAsync(earliest, cancellation: timeout.Token);
        await using var fromLatest = await TsdbCluster.StartAsync(latest, cancellation: timeout.Token);

        // The latest-starting group begins at the end offsets (200 records), with nothing written.
        await Poll.UntilAsync(() => fromLatest.Nodes()[0].Offsets.Values.Sum() == 200, TimeSpan.FromSeconds(30), "the latest group starts at the end", timeout.Token);
        await Poll.UntilAsync(() => fromEarliest.Nodes()[0].Offsets.Values.Sum() == 200, TimeSpan.FromSeconds(30), "the earliest group wrote the backlog", timeout.Token);
        Assert.Equal(2_000, fromEarliest.Nodes()[0].PointsWritten);
        Assert.Equal(0, fromLatest.Nodes()[0].PointsWritten);

        await feed.ProduceAsync(500, linesPerRecord: 10, timeout.Token);
        await Poll.UntilAsync(() => fromLatest.Nodes()[0].Offsets.Values.Sum() == 250, TimeSpan.FromSeconds(30), "the latest group wrote the new records", timeout.Token);
        Assert.Equal(500, fromLatest.Nodes()[0].PointsWritten);
    }

    /// <summary>
    /// librdkafka 2.0 stops fetching while its local queue holds queued.min.messages records and
    /// looks again up to a second later: a backlog of 40 queues' worth took 24 s to read before the
    /// connector learned to wake the fetcher when starved, and 0.9 s after. 15 s leaves room for a
    /// slow machine and still fails on the stalls.
    /// </summary>
    [Fact]
    public async Task A_backlog_many_times_librdkafkas_local_queue_is_read_without_one_second_stalls()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 4);
        var measurement = "backlog" + Guid.NewGuid().ToString("N")[..6];
        using var feed = new PointFeed(kafka.BootstrapServers, "points", 4, measurement);
        for (var i = 0; i < 40; i++)
        {
            // Each call ends in a delivery, so each partition gets 40 message sets: the embedded
            // Kafka answers a fetch with one set per partition, 500 records in all, a queue's worth.
            await feed.ProduceAsync(500, linesPerRecord: 1, timeout.Token);
        }

        var baseOptions = TestClusters.Options(kafka.BootstrapServers, "points", servers.Victoria.Take(1), "backlogdb");
        var options = baseOptions with { Kafka = baseOptions.Kafka with { Consumer = new Dictionary<string, string> { ["queued.min.messages"] = "500" } } };

        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes()[0].Offsets.Count == 4, TimeSpan.FromSeconds(30), "the connector was assigned the partitions", timeout.Token);
        var clock = Stopwatch.StartNew();
        await Poll.UntilAsync(() => cluster.Nodes()[0].Offsets.Values.Sum() == 20_000, TimeSpan.FromSeconds(60), "the backlog is committed", timeout.Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"reading 40 queues' worth took {clock.Elapsed.TotalSeconds:F1} s");
        await Poll.UntilAsync(async () => await PointCounter.CountAsync(servers.Victoria[0], "backlogdb", measurement, timeout.Token) == 20_000,
            TimeSpan.FromSeconds(60), "the node holds every point", timeout.Token);
    }

    [Fact]
    public async Task Kafka_down_for_a_while_delays_the_points_but_loses_and_doubles_none()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 4);
        var measurement = "kd" + Guid.NewGuid().ToString("N")[..6];
        var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Victoria, "kddb");
        var log = new LineLog();
        await using var cluster = await TsdbCluster.StartAsync(options, log, timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "every connector joined its group", timeout.Token);
        using var feed = new PointFeed(kafka.BootstrapServers, "points", 4, measurement);
        await feed.ProduceAsync(5_000, 10, timeout.Token);

        kafka.SetAllBrokersDown();
        await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token); // the outage itself, not a wait for a result
        var during = feed.ProduceAsync(5_000, 10, timeout.Token);
        kafka.SetAllBrokersUp();
        await during;

        foreach (var node in servers.Victoria)
        {
            await Poll.UntilAsync(async () => await PointCounter.CountAsync(node, "kddb", measurement, timeout.Token) == 10_000,
                TimeSpan.FromSeconds(60), $"node {node.Url} holds 10000 points", timeout.Token);
        }

        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.Lag == 0 && n.Offsets.Values.Sum() == 1_000), TimeSpan.FromSeconds(30), "every group committed everything", timeout.Token);
        Assert.All(cluster.Nodes(), n => Assert.Equal(10_000, n.PointsWritten));
        // Every connector's consumer reports the outage over and over; the operator reads each report once.
        var kafkaLines = log.Lines.Where(l => l.Contains(": Kafka: ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(kafkaLines);
        Assert.All(kafkaLines.GroupBy(l => l), g => Assert.True(g.Count() == 1, $"'{g.Key}' was logged {g.Count()} times"));
    }
}
