using System.Diagnostics;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>
/// The service is stopped cleanly and started again on the same cluster: caught-up nodes are
/// readable again within one check interval (the connectors used to join a consumer group each,
/// and the embedded cluster made the second start wait 44 s for a rebalance after the old members
/// left), and nothing is written twice. 4,000 points as 400 records over 4 partitions.
/// </summary>
public sealed class TsdbCluster_Restart_Tests(ThreeInflux servers) : IClassFixture<ThreeInflux>
{
    [Fact]
    public async Task Restarted_service_serves_reads_within_one_check_interval_and_replays_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 4);
        var measurement = "rs" + Guid.NewGuid().ToString("N")[..6];
        // The default check interval: the bound the service promises.
        var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Nodes, "rsdb");
        options = options with { Monitor = options.Monitor with { CheckInterval = TimeSpan.FromSeconds(2) } };

        var first = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        try
        {
            await Poll.UntilAsync(() => first.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "every node is available", timeout.Token);
            using var feed = new PointFeed(kafka.BootstrapServers, "points", 4, measurement);
            await feed.ProduceAsync(4_000, 10, timeout.Token);
            await Poll.UntilAsync(() => first.Nodes().All(n => n.Offsets.Values.Sum() == 400), TimeSpan.FromSeconds(30), "every node has written every record", timeout.Token);
        }
        finally
        {
            await first.DisposeAsync();
        }

        var outage = Stopwatch.StartNew();
        await using var second = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        using var http = new HttpClient { BaseAddress = second.BalancerUrl, Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(async () =>
        {
            using var response = await http.GetAsync("query?db=rsdb&q=SHOW+MEASUREMENTS", timeout.Token);
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60), "the restarted service answers a read", timeout.Token);
        outage.Stop();
        Assert.True(outage.Elapsed < options.Monitor.CheckInterval, $"reads were refused for {outage.Elapsed.TotalMilliseconds:0} ms after the restart");

        // Every node resumed where it stopped: the group's offsets, and its marker, agree.
        await Poll.UntilAsync(() => second.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(10), "every node is back", timeout.Token);
        Assert.All(second.Nodes(), n => Assert.Equal(400, n.Offsets.Values.Sum()));
        Assert.All(second.Nodes(), n => Assert.Equal(0, n.PointsWritten));
        Assert.All(second.Timeline(), e => Assert.Equal(TsdbNodeState.Available, e.To));
        foreach (var node in servers.Nodes)
        {
            Assert.Equal(4_000, await PointCounter.CountAsync(node, "rsdb", measurement, timeout.Token));
        }
    }
}
