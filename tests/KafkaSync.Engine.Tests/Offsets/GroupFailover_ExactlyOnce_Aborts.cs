using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Tests.Sync;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Offsets;

public sealed class GroupFailover_ExactlyOnce_Aborts(ITestOutputHelper output)
{
    [Fact]
    public async Task Aborted_transactions_never_enter_the_map_and_the_group_continues_exactly()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var scenario = new FailoverScenario(targetBrokers: 2);
        scenario.Harness.Target.CreateTopic(scenario.Topic, scenario.Partitions);
        scenario.Harness.Target.CreateTopic("__kafkasync_checkpoints", 1);
        scenario.ProduceWithGaps(1_000, perTransaction: 9);
        var onSource = scenario.ConsumeOnSource(611, timeout.Token);

        var targetOptions = scenario.Harness.TargetOptions() with { ExactlyOnce = true, MaxTransactionRecords = 100 };
        var (target, port) = await AgentRun.StartTargetAsync(targetOptions, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(scenario.Harness.SourceOptions($"127.0.0.1:{port}", [scenario.Topic]), timeout.Token);
        await FailoverScenario.WaitForMapAsync(targetOptions.Queue.Path, 1_000, timeout.Token);

        // Two brokers lead the two partitions, so a transaction takes two produce requests. The
        // first next one succeeds, the second fails for good (INVALID_RECORD): the transaction
        // aborts with some of its records written, and the agent sends the batch again.
        scenario.Harness.Target.PushRequestErrors(0, 0, 87);
        scenario.ProduceWithGaps(1_000, perTransaction: 9, start: 1_000);
        await FailoverScenario.WaitForMapAsync(targetOptions.Queue.Path, 2_000, timeout.Token);

        var sync = new ConsumerGroupSync(scenario.SourceKafka, scenario.TargetKafka, () => OffsetMap.Load(targetOptions.Queue.Path));
        var rows = await sync.SyncAsync([FailoverScenario.Group], commit: true, timeout.Token);
        Assert.All(rows, r => Assert.Equal((TranslationStatus.Exact, GroupSyncAction.Committed), (r.Status, r.Action)));

        var map = OffsetMap.Load(targetOptions.Queue.Path);
        var read = FailoverScenario.ConsumeOnTargetAt(scenario.Harness.Target.BootstrapServers, scenario.Topic, 2_000 - 611, timeout.Token);
        // The embedded cluster shows aborted records even to read_committed readers, where a real
        // one hides them: they are the records at offsets the map does not hold.
        var mapped = map.Ranges.SelectMany(r => Enumerable.Range(0, (int)r.Count).Select(i => (r.TargetPartition, r.TargetFirst + i))).ToHashSet();
        var aborted = read.Where(r => !mapped.Contains((r.Partition, r.Offset))).ToList();
        output.WriteLine($"{map.RangeCount} ranges; {aborted.Count} aborted record(s) shown by the embedded cluster");
        Assert.NotEmpty(aborted);
        Assert.All(aborted, a => Assert.Contains(read, r => r.Value == a.Value && r.Offset > a.Offset && mapped.Contains((r.Partition, r.Offset))));
        FailoverScenario.AssertExactlyOnce(2_000, onSource, read.Except(aborted).Select(r => r.Value).ToList());
        scenario.AssertMapMatchesLogs(map, scenario.Topic, 2_000, timeout.Token);
        await source.StopAsync();
        await target.StopAsync();
    }
}
