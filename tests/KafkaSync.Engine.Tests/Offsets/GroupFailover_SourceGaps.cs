using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Tests.Sync;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Offsets;

public sealed class GroupFailover_SourceGaps(ITestOutputHelper output)
{
    [Fact]
    public async Task Group_moved_to_the_target_reads_every_record_exactly_once_across_source_gaps()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var scenario = new FailoverScenario();
        // Transactions of 7 records over 2 partitions: a commit marker every 3-4 offsets of each partition.
        scenario.ProduceWithGaps(2_000, perTransaction: 7);
        var onSource = scenario.ConsumeOnSource(733, timeout.Token);

        scenario.Harness.Target.CreateTopic(scenario.Topic, scenario.Partitions);
        var targetOptions = scenario.Harness.TargetOptions();
        var (target, port) = await AgentRun.StartTargetAsync(targetOptions, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(scenario.Harness.SourceOptions($"127.0.0.1:{port}", [scenario.Topic]), timeout.Token);
        await FailoverScenario.WaitForMapAsync(targetOptions.Queue.Path, 2_000, timeout.Token);

        var map = OffsetMap.Load(targetOptions.Queue.Path);
        output.WriteLine($"{map.RecordCount} records in {map.RangeCount} ranges");
        // Each transaction's marker breaks the source run; the target (no transactions) stays contiguous.
        Assert.True(map.RangeCount > 2, "source gaps must show as separate ranges");
        var sync = new ConsumerGroupSync(scenario.SourceKafka, scenario.TargetKafka, () => OffsetMap.Load(targetOptions.Queue.Path));
        var rows = await sync.SyncAsync([FailoverScenario.Group], commit: true, timeout.Token);
        foreach (var row in rows)
        {
            output.WriteLine($"{row.TargetTopic}[{row.TargetPartition}] source {row.SourceOffset} -> target {row.TargetOffset} {row.Status} {row.Action} lag {row.Lag}");
        }

        Assert.All(rows, r => Assert.Equal(TranslationStatus.Exact, r.Status));
        Assert.All(rows, r => Assert.Equal(GroupSyncAction.Committed, r.Action));
        Assert.Equal(2_000 - 733, rows.Sum(r => r.Lag));

        var onTarget = FailoverScenario.ConsumeOnTarget(scenario.Harness.Target.BootstrapServers, scenario.Topic, 2_000 - 733, timeout.Token);
        FailoverScenario.AssertExactlyOnce(2_000, onSource, onTarget);
        scenario.AssertMapMatchesLogs(map, scenario.Topic, 2_000, timeout.Token);

        // A second sync finds nothing to move: offsets only go forward and the group committed on the target meanwhile.
        var again = await sync.SyncAsync([FailoverScenario.Group], commit: true, timeout.Token);
        Assert.All(again, r => Assert.Equal(GroupSyncAction.Unchanged, r.Action));
        await source.StopAsync();
        await target.StopAsync();
    }
}
