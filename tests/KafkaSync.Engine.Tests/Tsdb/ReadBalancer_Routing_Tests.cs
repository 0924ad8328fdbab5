using System.Net;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>Where the balancer sends queries, on a live cluster of real InfluxDB nodes.</summary>
public sealed class ReadBalancer_Routing_Tests(ThreeInflux servers) : IClassFixture<ThreeInflux>
{
    private const string Query = "query?db=rbdb&q=SHOW+MEASUREMENTS";

    [Fact]
    public async Task Queries_avoid_the_node_busy_with_a_long_query_and_return_to_it_when_it_finishes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 2);
        using var relay = new GateRelay(servers.Nodes[0].Port);
        var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Nodes, "rbdb");
        options = options with { Nodes = [options.Nodes[0] with { Url = relay.Url.ToString() }, options.Nodes[1], options.Nodes[2]] };
        await using var cluster = await StartAvailableAsync(options, timeout.Token);
        using var http = new HttpClient { BaseAddress = cluster.BalancerUrl, Timeout = TimeSpan.FromSeconds(30) };

        // All nodes idle: the first query goes to n0 (round-robin start), where the relay holds it.
        var slow = http.GetAsync(Query + "&" + GateRelay.HoldMarker, timeout.Token);
        await Poll.UntilAsync(() => relay.Held == 1, TimeSpan.FromSeconds(10), "the first query is held on n0", timeout.Token);
        Assert.Equal(1, cluster.Nodes().Single(n => n.Name == "n0").Readers);
        Assert.True(cluster.Nodes().Single(n => n.Name == "n0").Pressure > 0);

        var answeredBy = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await http.GetAsync(Query, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answeredBy.Add(response.Headers.GetValues("X-KafkaSync-Node").Single());
        }

        Assert.DoesNotContain("n0", answeredBy);
        Assert.Contains("n1", answeredBy);
        Assert.Contains("n2", answeredBy);

        relay.Release();
        using (var held = await slow)
        {
            Assert.Equal(HttpStatusCode.OK, held.StatusCode);
            Assert.Equal("n0", held.Headers.GetValues("X-KafkaSync-Node").Single());
            Assert.Contains("results", await held.Content.ReadAsStringAsync(timeout.Token));
        }

        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.Readers == 0), TimeSpan.FromSeconds(5), "no query in flight", timeout.Token);
        var after = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await http.GetAsync(Query, timeout.Token);
            after.Add(response.Headers.GetValues("X-KafkaSync-Node").Single());
        }

        Assert.Equal(["n0", "n1", "n2"], after.Order());
    }

    [Fact]
    public async Task A_balancer_in_another_process_reads_the_node_list_from_the_monitor_and_relays_answers()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 2);
        var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Nodes, "rbdb");
        await using var cluster = await StartAvailableAsync(options, timeout.Token);
        await using var first = await TsdbBalancer.StartAsync(options, cluster.StatusUrl!, "127.0.0.1:0", cancellation: timeout.Token);
        await using var second = await TsdbBalancer.StartAsync(options, cluster.StatusUrl!, "127.0.0.1:0", cancellation: timeout.Token);

        foreach (var balancer in new[] { first, second })
        {
            using var http = new HttpClient { BaseAddress = balancer.Url };
            using var direct = new HttpClient { BaseAddress = servers.Nodes[0].Url };
            using var response = await http.GetAsync("query?db=rbdb&q=SHOW+DATABASES", timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await direct.GetStringAsync("query?db=rbdb&q=SHOW+DATABASES", timeout.Token), await response.Content.ReadAsStringAsync(timeout.Token));
            Assert.Equal(HttpStatusCode.NoContent, (await http.GetAsync("ping", timeout.Token)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/v1/query?query=1", timeout.Token)).StatusCode);
        }
    }

    [Fact]
    public async Task A_separate_balancer_keeps_answering_from_the_last_node_list_when_the_cluster_service_stops()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 1);
        var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Nodes, "rbdb");
        options = options with { Balancer = options.Balancer with { RefreshInterval = TimeSpan.FromMilliseconds(50) } };
        var cluster = await StartAvailableAsync(options, timeout.Token);
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var balancer = await TsdbBalancer.StartAsync(options, cluster.StatusUrl!, "127.0.0.1:0", new Progress<string>(lines.Enqueue), timeout.Token);
        await cluster.DisposeAsync();

        using var http = new HttpClient { BaseAddress = balancer.Url };
        var answeredBy = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await http.GetAsync(Query, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answeredBy.Add(response.Headers.GetValues("X-KafkaSync-Node").Single());
        }

        Assert.Equal(3, answeredBy.Count);
        await Poll.UntilAsync(() => lines.Any(l => l.Contains("keeping the last one", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the lost monitor is logged", timeout.Token);
    }

    private static async Task<TsdbCluster> StartAvailableAsync(TsdbClusterOptions options, CancellationToken cancellation)
    {
        var cluster = await TsdbCluster.StartAsync(options, cancellation: cancellation);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "every node is available", cancellation);
        return cluster;
    }
}
