using System.Net;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb;

public sealed class ReadBalancer_NoNode_Tests
{
    [Fact]
    public async Task With_no_node_available_a_query_gets_503_naming_each_node_and_its_failure()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 1);
        var deadPort = TsdbServer.FreePort();
        var options = new TsdbClusterOptions
        {
            Kind = TsdbNodeKind.VictoriaMetrics,
            Nodes = [new TsdbNodeOptions { Name = "vm-a", Url = $"http://127.0.0.1:{deadPort}" }],
            Kafka = new TsdbKafkaOptions { BootstrapServers = kafka.BootstrapServers, Topic = "points" },
            Monitor = new TsdbMonitorOptions { CheckInterval = TimeSpan.FromMilliseconds(200), Listen = "127.0.0.1:0" },
            Balancer = new TsdbBalancerOptions { Listen = "127.0.0.1:0" },
        };
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().Single().State == TsdbNodeState.Unavailable, TimeSpan.FromSeconds(10), "the dead node is marked unavailable", timeout.Token);
        using var http = new HttpClient { BaseAddress = cluster.BalancerUrl };

        using var response = await http.GetAsync("api/v1/query?query=up", timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("no available node", body);
        Assert.Contains("vm-a: Unavailable", body);
        Assert.Contains("health check failed", body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("health", timeout.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.GetAsync("ping", timeout.Token)).StatusCode);
    }
}
