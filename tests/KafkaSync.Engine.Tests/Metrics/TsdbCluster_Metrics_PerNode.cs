using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Metrics;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Metrics;

/// <summary>
/// A cluster service with metrics on, one real VictoriaMetrics node and one node whose port nobody
/// serves: the scrape shows the live node available, caught up, with every fed point counted and
/// its offsets committed, and the dead node unavailable with its failure time and nothing written. 2,000 points as 200 records over 4 partitions; the connectors join before the feed.
/// </summary>
public sealed class TsdbCluster_Metrics_PerNode
{
    private const int Points = 2_000;

    [Fact]
    public async Task Scrape_shows_each_node_state_lag_points_and_offsets()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var node = TsdbServer.StartVictoria();
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 4);
        var options = TestClusters.Options(kafka.BootstrapServers, "points", [node], "metricsdb");
        options = options with
        {
            Nodes = [.. options.Nodes, new TsdbNodeOptions { Name = "dead", Url = $"http://127.0.0.1:{TsdbServer.FreePort()}/" }],
            Metrics = new MetricsOptions { Listen = "127.0.0.1:0" },
        };
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        Assert.NotNull(cluster.MetricsUrl);
        await Poll.UntilAsync(() => cluster.Nodes().Any(n => n.Name == "n0" && n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "the live node's connector joined", timeout.Token);

        using (var feed = new PointFeed(kafka.BootstrapServers, "points", 4, "m" + Guid.NewGuid().ToString("N")[..6]))
        {
            await feed.ProduceAsync(Points, linesPerRecord: 10, timeout.Token);
        }

        var n0 = new[] { ("node", "n0") };
        var dead = new[] { ("node", "dead") };
        // On a loaded machine a write can time out and be written again after the node returns
        // (at least once), so n0 may count more than the points fed, never fewer.
        var scrape = await Scrape.UntilAsync(
            cluster.MetricsUrl!,
            m => m.ValueOrNull("kafkasync_tsdb_node_points_written_total", n0) >= Points
                && m.Value("kafkasync_tsdb_node_lag_records", n0) == 0
                && m.Find("kafkasync_tsdb_node_committed_offset", n0).Sum(s => s.Value) == Points / 10
                && m.Value("kafkasync_tsdb_node_available", n0) == 1
                && m.Value("kafkasync_tsdb_node_state", ("node", "dead"), ("state", "unavailable")) == 1,
            TimeSpan.FromSeconds(60),
            $"n0 wrote {Points} points, committed every record and is available, and the dead node is unavailable",
            timeout.Token,
            "kafkasync_tsdb_node_points_written_total", "kafkasync_tsdb_node_lag_records", "kafkasync_tsdb_node_committed_offset", "kafkasync_tsdb_node_state");

        Assert.Equal(2, scrape.Value("kafkasync_tsdb_nodes"));
        Assert.Equal(1, scrape.Value("kafkasync_tsdb_available_nodes"));
        Assert.Equal(1, scrape.Value("kafkasync_tsdb_node_available", n0));
        Assert.Equal(1, scrape.Value("kafkasync_tsdb_node_state", ("node", "n0"), ("state", "available")));
        Assert.Equal(0, scrape.Value("kafkasync_tsdb_node_available", dead));
        Assert.Equal(1, scrape.Value("kafkasync_tsdb_node_state", ("node", "dead"), ("state", "unavailable")));
        Assert.Equal(0, scrape.Value("kafkasync_tsdb_node_state", ("node", "dead"), ("state", "catching_up")));
        Assert.True(scrape.Value("kafkasync_tsdb_node_last_failure_timestamp_seconds", dead) > 0, "the dead node's failure has a time");
        Assert.True(scrape.Value("kafkasync_tsdb_node_last_commit_timestamp_seconds", n0) > 0, "n0 committed");
        Assert.Equal(4, scrape.Find("kafkasync_tsdb_node_committed_offset", n0).Count());
        Assert.Equal(0, scrape.Value("kafkasync_tsdb_node_dead_letters_total", n0));
        // The dead node's connector never wrote: nothing committed, nothing counted. (Its lag is
        // left out: the connector learns the end offsets from its own consumer, which a node that
        // never answered may not have started.)
        Assert.Equal(0, scrape.Value("kafkasync_tsdb_node_points_written_total", dead));
        Assert.Equal(0, scrape.Find("kafkasync_tsdb_node_committed_offset", dead).Sum(s => s.Value));
        // Writers come and go (the dead node's connector keeps retrying): only their range is sure.
        Assert.InRange(scrape.Value("kafkasync_tsdb_node_writes_in_flight", dead), 0, options.Connector.Writers);
        Assert.InRange(scrape.Value("kafkasync_tsdb_node_pressure", n0), 0, options.Connector.Writers * options.Balancer.WriteWeight);
        Assert.Equal(0, scrape.Value("kafkasync_tsdb_node_reads_in_flight", n0));
        Assert.Equal(1, scrape.Value("kafkasync_tsdb_node_weight", n0));
        var info = scrape.Find("kafkasync_tsdb_info").Single();
        Assert.Equal(("victoriametrics", "points", options.Name), (info.Labels["kind"], info.Labels["topic"], info.Labels["cluster"]));
    }
}
