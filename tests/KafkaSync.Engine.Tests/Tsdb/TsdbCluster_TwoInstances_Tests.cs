using System.Diagnostics;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>
/// Two instances of the service run for the same cluster with <c>kafka.shareWork</c>: the service
/// group splits the partitions, so each point is written once per node, and both instances list
/// the same nodes as available. When one stops, the other takes its partitions over and its read
/// tier never refuses a query. 8,000 + 4,000 points as 1,200 records over 4 partitions.
/// </summary>
public sealed class TsdbCluster_TwoInstances_Tests(ThreeInflux servers, ITestOutputHelper output) : IClassFixture<ThreeInflux>
{
    [Fact]
    public async Task Two_instances_split_the_partitions_agree_on_the_nodes_and_one_carries_on_alone()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 4);
        var database = "ti" + Guid.NewGuid().ToString("N")[..6];
        var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Nodes.Take(2), database);
        options = options with { Kafka = options.Kafka with { ShareWork = true, ShareSessionTimeout = TimeSpan.FromSeconds(6) } };
        var clock = Stopwatch.StartNew();
        var log = new Progress<string>(line => output.WriteLine($"{clock.ElapsedMilliseconds,6} {line}"));
        await using var a = await TsdbCluster.StartAsync(options with { Monitor = options.Monitor with { Listen = "127.0.0.1:0" } }, log, timeout.Token);
        var b = await TsdbCluster.StartAsync(options, log, timeout.Token);
        try
        {
            // Each instance feeds two partitions to both nodes.
            await Poll.UntilAsync(() => a.FedPartitions.Count == 2 && b.FedPartitions.Count == 2, TimeSpan.FromSeconds(30), "the service group gave each instance two partitions", timeout.Token);
            Assert.Empty(a.FedPartitions.Intersect(b.FedPartitions));
            await Poll.UntilAsync(() => a.Nodes().All(n => n.State == TsdbNodeState.Available) && b.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "both instances list both nodes", timeout.Token);
            using var feed = new PointFeed(kafka.BootstrapServers, "points", 4, "shared");
            await feed.ProduceAsync(8_000, 10, timeout.Token);
            await Poll.UntilAsync(() => a.Nodes().Concat(b.Nodes()).All(n => n.Offsets.Values.Sum() == 800), TimeSpan.FromSeconds(30), "both instances see every record written", timeout.Token);
            foreach (var node in new[] { "n0", "n1" })
            {
                var byA = a.Nodes().Single(n => n.Name == node).PointsWritten;
                var byB = b.Nodes().Single(n => n.Name == node).PointsWritten;
                output.WriteLine($"{node}: {byA} points written by one instance, {byB} by the other");
                Assert.Equal(8_000, byA + byB);
                Assert.True(byA > 0 && byB > 0, "one instance did all the work");
            }

            foreach (var server in servers.Nodes.Take(2))
            {
                Assert.Equal(8_000, await PointCounter.CountAsync(server, database, "shared", timeout.Token));
            }

            Assert.Equal(a.Nodes().Select(n => (n.Name, n.State)), b.Nodes().Select(n => (n.Name, n.State)));

            // One instance stops; the other's read tier answers throughout, and it takes over.
            using var http = new HttpClient { BaseAddress = a.BalancerUrl, Timeout = TimeSpan.FromSeconds(5) };
            var stopping = b.DisposeAsync().AsTask();
            var handover = Stopwatch.StartNew();
            var reads = 0;
            while (!stopping.IsCompleted || reads < 5)
            {
                using var response = await http.GetAsync($"query?db={database}&q=SHOW+MEASUREMENTS", timeout.Token);
                Assert.True(response.IsSuccessStatusCode, $"read {reads} answered {(int)response.StatusCode}");
                reads++;
            }

            await stopping;
            await feed.ProduceAsync(4_000, 10, timeout.Token);
            await Poll.UntilAsync(() => a.Nodes().All(n => n.Offsets.Values.Sum() == 1_200), TimeSpan.FromSeconds(60), "the remaining instance writes every new record", timeout.Token);
            Assert.Equal([0, 1, 2, 3], a.FedPartitions);
            output.WriteLine($"the remaining instance wrote the new records {handover.ElapsedMilliseconds} ms after the other began to stop");
            foreach (var server in servers.Nodes.Take(2))
            {
                Assert.Equal(12_000, await PointCounter.CountAsync(server, database, "shared", timeout.Token));
            }

            Assert.All(a.Nodes(), n => Assert.Equal(TsdbNodeState.Available, n.State));
        }
        finally
        {
            await b.DisposeAsync();
        }
    }
}
