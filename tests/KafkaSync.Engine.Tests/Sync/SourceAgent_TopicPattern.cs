namespace KafkaSync.Engine.Tests.Sync;

public sealed class SourceAgent_TopicPattern
{
    [Fact]
    public async Task Include_pattern_picks_up_a_topic_created_later_and_exclude_keeps_one_out()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var harness = new SyncHarness();
        harness.CreateTopics(["metrics.cpu", "metrics.debug.trace", "orders"], partitions: 1);
        await harness.ProduceAsync(["metrics.cpu"], 1, 100, 0, timeout.Token);
        await harness.ProduceAsync(["metrics.debug.trace"], 1, 100, 0, timeout.Token);
        await harness.ProduceAsync(["orders"], 1, 100, 0, timeout.Token);
        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        var options = harness.SourceOptions($"127.0.0.1:{port}", []) with
        {
            Topics = new() { Include = @"metrics\..*", Exclude = @"metrics\.debug\..*" },
            TopicRefreshInterval = TimeSpan.FromSeconds(1),
        };
        using var source = AgentRun.StartSource(options, timeout.Token);
        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut == 100, timeout.Token);

        harness.CreateTopics(["metrics.memory"], partitions: 2);
        await harness.ProduceAsync(["metrics.memory"], 2, 50, 0, timeout.Token);
        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut == 150, timeout.Token);
        await source.StopAsync();
        await target.StopAsync();

        // Partition 0 of each topic: metrics.memory holds 25 of its 50 records there.
        var copied = SyncHarness.ReadAll(harness.Target.BootstrapServers, ["metrics.cpu", "metrics.memory", "metrics.debug.trace", "orders"], 1, 125, timeout.Token);
        Assert.Equal(100, copied[("metrics.cpu", 0)].Count);
        Assert.Equal(25, copied[("metrics.memory", 0)].Count);
        Assert.False(copied.ContainsKey(("metrics.debug.trace", 0)));
        Assert.False(copied.ContainsKey(("orders", 0)));
    }
}
