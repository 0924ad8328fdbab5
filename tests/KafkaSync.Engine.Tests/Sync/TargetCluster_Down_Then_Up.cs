namespace KafkaSync.Engine.Tests.Sync;

public sealed class TargetCluster_Down_Then_Up
{
    private static readonly string[] Topics = ["a"];

    [Fact]
    public async Task While_the_target_cluster_is_down_records_queue_up_and_are_produced_when_it_returns()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness(targetBrokers: 2);
        harness.CreateTopics(Topics, partitions: 4);
        await harness.ProduceAsync(Topics, 4, 5_000, 0, timeout.Token);
        var options = harness.TargetOptions();
        options.Kafka.Settings["reconnect.backoff.max.ms"] = "500";
        var log = new LineLog();
        var (target, port) = await AgentRun.StartTargetAsync(options, timeout.Token, log);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", Topics), timeout.Token);
        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut == 5_000, timeout.Token);

        harness.Target.SetAllBrokersDown();
        await harness.ProduceAsync(Topics, 4, 10_000, 5_000, timeout.Token);
        // The link keeps delivering into the target queue while nothing can be produced.
        await AgentRun.WaitUntilAsync(() => target.StatusOf().NextSeq - 1 >= source.StatusOf().NextSeq - 1 && source.StatusOf().RecordsIn == 15_000, timeout.Token);
        var during = target.StatusOf();
        Assert.True(during.LagRecords >= 10_000, $"target lag {during.LagRecords} while its cluster is down");
        harness.Target.SetAllBrokersUp();
        // librdkafka reported the outage on every reconnect (every 500 ms here); the agent said each report once.
        var reports = log.Lines.Where(l => l.StartsWith("Target cluster: ", StringComparison.Ordinal) || l.StartsWith("librdkafka ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reports);
        Assert.All(reports.GroupBy(r => r), g => Assert.True(g.Count() == 1, $"'{g.Key}' was logged {g.Count()} times"));

        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 4, 15_000, timeout.Token));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 4, 15_000, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        await source.StopAsync();
        await target.StopAsync();
    }
}
