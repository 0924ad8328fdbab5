using System.Diagnostics;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>
/// A VictoriaMetrics node is replaced by an empty one on the same URL while the service runs,
/// with no write in flight and no health check due (the interval is minutes): no failure is ever
/// seen, and VictoriaMetrics takes new points without a database. The connector finds its
/// generation mark gone, takes the node out and refills it. 4,000 points as 400 records over 4
/// partitions.
/// </summary>
public sealed class TsdbCluster_NodeWipedWhileRunning_Tests(TwoVictoria servers, ITestOutputHelper output) : IClassFixture<TwoVictoria>
{
    [Fact]
    public async Task Wiped_VictoriaMetrics_node_is_found_out_and_refilled_without_a_health_check()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 4);
        var measurement = "wp" + Guid.NewGuid().ToString("N")[..6];
        var options = TestClusters.Options(kafka.BootstrapServers, "points", servers.Nodes, "unused");
        options = options with { Monitor = options.Monitor with { CheckInterval = TimeSpan.FromMinutes(5) } };
        var clock = Stopwatch.StartNew();
        await using var cluster = await TsdbCluster.StartAsync(options, new Progress<string>(line => output.WriteLine($"{clock.ElapsedMilliseconds,6} {line}")), timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "both nodes are available", timeout.Token);
        using var feed = new PointFeed(kafka.BootstrapServers, "points", 4, measurement);
        await feed.ProduceAsync(4_000, 10, timeout.Token);
        foreach (var node in servers.Nodes)
        {
            await HoldsAsync(node, measurement, 4_000, timeout.Token);
        }

        var victim = servers.Nodes[1];
        victim.Wipe();
        victim.Start();
        var wiped = Stopwatch.StartNew();
        await Poll.UntilAsync(() => State(cluster, "n1") != TsdbNodeState.Available, TimeSpan.FromSeconds(30), "the wiped node is taken out", timeout.Token);
        var detected = wiped.Elapsed;
        await Poll.UntilAsync(() => State(cluster, "n1") == TsdbNodeState.Available, TimeSpan.FromSeconds(30), "the wiped node is back", timeout.Token);
        output.WriteLine($"wiped node taken out after {detected.TotalMilliseconds:0} ms, back in the list after {wiped.ElapsedMilliseconds} ms");

        await HoldsAsync(victim, measurement, 4_000, timeout.Token);
        var changes = cluster.Timeline().Where(e => e.Node == "n1").ToList();
        Assert.Contains(changes, e => e.Reason.Contains("replaced or wiped", StringComparison.Ordinal));
        Assert.Equal(TsdbNodeState.Available, changes[^1].To);
        Assert.Null(cluster.Nodes().Single(n => n.Name == "n1").DataLoss);
    }

    private static TsdbNodeState State(TsdbCluster cluster, string name) => cluster.Nodes().Single(n => n.Name == name).State;

    private static Task HoldsAsync(TsdbServer node, string measurement, long points, CancellationToken cancellation) =>
        Poll.UntilAsync(async () => await PointCounter.CountAsync(node, "unused", measurement, cancellation) == points,
            TimeSpan.FromSeconds(30), $"node {node.Url} holds {points} points", cancellation);
}
