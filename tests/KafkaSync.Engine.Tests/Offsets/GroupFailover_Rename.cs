using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Tests.Sync;

namespace KafkaSync.Engine.Tests.Offsets;

public sealed class GroupFailover_Rename
{
    [Fact]
    public async Task Group_follows_a_renamed_topic_to_the_target()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var scenario = new FailoverScenario();
        scenario.Harness.Target.CreateTopic("dc1.orders", scenario.Partitions);
        scenario.Produce(1_500);
        var onSource = scenario.ConsumeOnSource(400, timeout.Token);

        var targetOptions = scenario.Harness.TargetOptions() with { Topics = new TopicRenaming { Prefix = "dc1." } };
        var (target, port) = await AgentRun.StartTargetAsync(targetOptions, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(scenario.Harness.SourceOptions($"127.0.0.1:{port}", [scenario.Topic]), timeout.Token);
        await FailoverScenario.WaitForMapAsync(targetOptions.Queue.Path, 1_500, timeout.Token);

        var map = OffsetMap.Load(targetOptions.Queue.Path);
        Assert.Equal(scenario.Partitions, map.RangeCount);
        var rows = await new ConsumerGroupSync(scenario.SourceKafka, scenario.TargetKafka, () => map).SyncAsync([FailoverScenario.Group], commit: true, timeout.Token);
        Assert.All(rows, r => Assert.Equal(("orders", "dc1.orders"), (r.SourceTopic, r.TargetTopic)));
        // A partition the group never committed on the source stays uncommitted on the target, so
        // the group starts it where it would have on the source (auto.offset.reset).
        Assert.All(rows, r => Assert.Equal(r.SourceOffset is null ? GroupSyncAction.Skipped : GroupSyncAction.Committed, r.Action));
        Assert.Contains(rows, r => r.Action == GroupSyncAction.Committed);

        var onTarget = FailoverScenario.ConsumeOnTarget(scenario.Harness.Target.BootstrapServers, "dc1.orders", 1_100, timeout.Token);
        FailoverScenario.AssertExactlyOnce(1_500, onSource, onTarget);
        await source.StopAsync();
        await target.StopAsync();
    }
}
