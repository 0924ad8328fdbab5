using System.Diagnostics;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>
/// A VictoriaMetrics node is killed while no write is in flight and long before the next health
/// check: the balancer's query to it is refused, goes to the other node within the same request,
/// and the node leaves the list at once. Without points, no write can notice the death first.
/// </summary>
public sealed class ReadBalancer_NodeKilled_Tests(TwoVictoria servers) : IClassFixture<TwoVictoria>
{
    private const string Query = "api/v1/query?query=1";

    [Fact]
    public Task Balancer_in_the_service_retries_on_the_other_node_and_takes_the_dead_one_out_at_once() =>
        KillAndQueryAsync(remote: false);

    [Fact]
    public Task Balancer_in_another_process_retries_on_the_other_node_and_tells_the_monitor_at_once() =>
        KillAndQueryAsync(remote: true);

    private async Task KillAndQueryAsync(bool remote)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 2);
        var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Nodes, "unused");
        // No health check during the test: only the balancer can take the node out.
        options = options with { Monitor = options.Monitor with { CheckInterval = TimeSpan.FromMinutes(5) } };
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "both nodes are available", timeout.Token);
        await using var apart = remote ? await TsdbBalancer.StartAsync(options, cluster.StatusUrl!, "127.0.0.1:0", cancellation: timeout.Token) : null;
        using var http = new HttpClient { BaseAddress = apart?.Url ?? cluster.BalancerUrl, Timeout = TimeSpan.FromSeconds(10) };

        var victim = servers.Nodes[1];
        victim.Kill();
        try
        {
            var killed = Stopwatch.StartNew();
            var answeredBy = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                using var response = await http.GetAsync(Query, timeout.Token);
                Assert.True(response.IsSuccessStatusCode, $"query {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(timeout.Token)}");
                answeredBy.Add(response.Headers.GetValues("X-KafkaSync-Node").Single());
            }

            Assert.All(answeredBy, n => Assert.Equal("n0", n));
            await Poll.UntilAsync(() => cluster.Nodes().Single(n => n.Name == "n1").State == TsdbNodeState.Unavailable, TimeSpan.FromSeconds(5), "the monitor took the dead node out", timeout.Token);
            Assert.True(killed.Elapsed < TimeSpan.FromSeconds(5), $"taken out after {killed.Elapsed.TotalMilliseconds:0} ms");
            var entry = cluster.Timeline().Last(e => e.Node == "n1");
            Assert.Equal(TsdbNodeState.Unavailable, entry.To);
            Assert.Contains("a query could not reach it", entry.Reason, StringComparison.Ordinal);
        }
        finally
        {
            victim.Start();
        }
    }
}
