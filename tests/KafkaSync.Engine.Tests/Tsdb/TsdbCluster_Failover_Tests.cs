using System.Diagnostics;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>
/// A node process is killed while points flow and started again on the same data: it leaves the
/// list within a check interval, reads and the other nodes' writes go on, and it returns only
/// after catching up from its own offsets. Mock-cluster limits: connectors join first; 40,000
/// points as 4,000 records over 8 partitions (500 records per partition).
/// </summary>
public sealed class TsdbCluster_Failover_Tests(FiveServers servers) : IClassFixture<FiveServers>
{
    [Fact]
    public Task Killed_InfluxDB_node_leaves_the_list_and_returns_only_after_catching_up() => KillAndRestartAsync(servers.Influx, "/query?db=fodb&q=SHOW+MEASUREMENTS");

    [Fact]
    public Task Killed_VictoriaMetrics_node_leaves_the_list_and_returns_only_after_catching_up() => KillAndRestartAsync(servers.Victoria, "/api/v1/query?query=1");

    private static async Task KillAndRestartAsync(IReadOnlyList<TsdbServer> nodes, string query)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 8);
        var measurement = "fo" + Guid.NewGuid().ToString("N")[..6];
        var options = TestClusters.Options(kafka.BootstrapServers, "points", nodes, "fodb");
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "every connector joined its group", timeout.Token);
        using var feed = new PointFeed(kafka.BootstrapServers, "points", 8, measurement);
        using var http = new HttpClient { BaseAddress = cluster.BalancerUrl, Timeout = TimeSpan.FromSeconds(10) };
        var victim = nodes[^1];
        var victimName = "n" + (nodes.Count - 1);
        var others = Enumerable.Range(0, nodes.Count - 1).Select(i => "n" + i).ToHashSet();

        await feed.ProduceAsync(20_000, 10, timeout.Token);
        await AllHoldAsync(nodes, measurement, 20_000, timeout.Token);

        // Kill mid-stream: the second half is being produced while the node dies.
        var stream = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await feed.ProduceAsync(2_000, 10, timeout.Token);
                await Task.Delay(30, timeout.Token);
            }
        });
        var killedAt = Stopwatch.StartNew();
        var killedAtTime = DateTimeOffset.UtcNow;
        victim.Kill();
        await Poll.UntilAsync(() => State(cluster, victimName) == TsdbNodeState.Unavailable, TimeSpan.FromSeconds(10), "the killed node left the list", timeout.Token);
        Assert.True(killedAt.Elapsed < options.Monitor.CheckInterval + options.Monitor.CheckTimeout + TimeSpan.FromSeconds(1),
            $"left the list after {killedAt.Elapsed.TotalMilliseconds:0} ms");

        for (var i = 0; i < 10; i++)
        {
            Assert.Contains(await AnsweredByAsync(http, query, timeout.Token), others);
        }

        await stream;
        foreach (var other in nodes.Take(nodes.Count - 1))
        {
            await NodeHoldsAsync(other, measurement, 40_000, timeout.Token);
        }

        // Restart on the same data and port; until it is back in the list no read may reach it.
        victim.Start();
        while (State(cluster, victimName) != TsdbNodeState.Available)
        {
            // The node may re-enter between the state check and the routing of this query; a
            // read it answers must then have been routed after its re-entry, never before.
            var answeredBy = await AnsweredByAsync(http, query, timeout.Token);
            var answeredAt = DateTimeOffset.UtcNow;
            if (answeredBy == victimName)
            {
                var reentry = cluster.Timeline().LastOrDefault(e => e.Node == victimName && e.To == TsdbNodeState.Available && e.At > killedAtTime);
                Assert.True(reentry is not null && reentry.At <= answeredAt, $"the restarted node answered a read at {answeredAt:O} before it re-entered the list");
                break;
            }

            Assert.Contains(answeredBy, others);
            Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(90), "the restarted node did not come back");
        }

        if (victim.IsInflux)
        {
            // InfluxDB shows an accepted point at once: on re-entry the node holds everything.
            Assert.Equal(40_000, await PointCounter.CountAsync(victim, "fodb", measurement, timeout.Token));
        }

        await NodeHoldsAsync(victim, measurement, 40_000, timeout.Token);
        var victimStatus = cluster.Nodes().Single(n => n.Name == victimName);
        Assert.Equal(0, victimStatus.Lag);
        Assert.Equal(4_000, victimStatus.Offsets.Values.Sum());

        var changes = cluster.Timeline().Where(e => e.Node == victimName).Select(e => e.To).ToList();
        Assert.Equal([TsdbNodeState.Available, TsdbNodeState.Unavailable, TsdbNodeState.CatchingUp, TsdbNodeState.Available], changes);
        await Poll.UntilAsync(async () => await AnsweredByAsync(http, query, timeout.Token) == victimName, TimeSpan.FromSeconds(10), "reads reach the returned node again", timeout.Token);
    }

    private static TsdbNodeState State(TsdbCluster cluster, string name) => cluster.Nodes().Single(n => n.Name == name).State;

    private static async Task<string> AnsweredByAsync(HttpClient http, string query, CancellationToken cancellation)
    {
        using var response = await http.GetAsync(query, cancellation);
        Assert.True(response.IsSuccessStatusCode, $"query through the balancer answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation)}");
        return response.Headers.GetValues("X-KafkaSync-Node").Single();
    }

    private static async Task AllHoldAsync(IEnumerable<TsdbServer> nodes, string measurement, long points, CancellationToken cancellation)
    {
        foreach (var node in nodes)
        {
            await NodeHoldsAsync(node, measurement, points, cancellation);
        }
    }

    private static Task NodeHoldsAsync(TsdbServer node, string measurement, long points, CancellationToken cancellation) =>
        Poll.UntilAsync(async () => await PointCounter.CountAsync(node, "fodb", measurement, cancellation) == points,
            TimeSpan.FromSeconds(60), $"node {node.Url} holds {points} points", cancellation);

    [Fact]
    public async Task InfluxDB_node_down_at_start_does_not_hold_up_the_others_and_joins_once_it_starts_and_catches_up()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 4);
        var late = servers.Influx[2];
        late.Kill();
        var restarted = false;
        try
        {
            // A database no node has yet: the late node must be set up when it arrives.
            var database = "late" + Guid.NewGuid().ToString("N")[..6];
            var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Influx, database);
            await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
            await Poll.UntilAsync(() => State(cluster, "n0") == TsdbNodeState.Available && State(cluster, "n1") == TsdbNodeState.Available, TimeSpan.FromSeconds(30), "the running nodes are available", timeout.Token);
            Assert.Equal(TsdbNodeState.Unavailable, State(cluster, "n2"));
            Assert.NotNull(cluster.Nodes().Single(n => n.Name == "n2").LastError);

            using (var feed = new PointFeed(kafka.BootstrapServers, "points", 4, "late"))
            {
                await feed.ProduceAsync(8_000, 10, timeout.Token);
            }

            foreach (var node in servers.Influx.Take(2))
            {
                await Poll.UntilAsync(async () => await PointCounter.CountAsync(node, database, "late", timeout.Token) == 8_000, TimeSpan.FromSeconds(30), $"{node.Url} holds every point", timeout.Token);
            }

            late.Start();
            restarted = true;
            await Poll.UntilAsync(() => State(cluster, "n2") == TsdbNodeState.Available, TimeSpan.FromSeconds(30), "the late node joins the list", timeout.Token);
            Assert.Equal(8_000, await PointCounter.CountAsync(late, database, "late", timeout.Token));
        }
        finally
        {
            if (!restarted)
            {
                late.Start();
            }
        }
    }
}
