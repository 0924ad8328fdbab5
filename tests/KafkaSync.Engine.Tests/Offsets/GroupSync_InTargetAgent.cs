using System.Diagnostics;
using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Tests.Sync;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Offsets;

public sealed class GroupSync_InTargetAgent(ITestOutputHelper output)
{
    [Fact]
    public async Task Target_agent_syncs_named_groups_at_its_interval_and_reports_them()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var scenario = new FailoverScenario();
        scenario.Harness.Target.CreateTopic(scenario.Topic, scenario.Partitions);
        scenario.ProduceWithGaps(1_000, perTransaction: 4);
        var targetOptions = scenario.Harness.TargetOptions() with
        {
            GroupSync = new GroupSyncOptions { SourceKafka = scenario.SourceKafka, Groups = [FailoverScenario.Group, "nobody-here"], Interval = TimeSpan.FromMilliseconds(200) },
        };
        var (target, port) = await AgentRun.StartTargetAsync(targetOptions, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(scenario.Harness.SourceOptions($"127.0.0.1:{port}", [scenario.Topic]), timeout.Token);
        await FailoverScenario.WaitForMapAsync(targetOptions.Queue.Path, 1_000, timeout.Token);

        // The group consumes while the agent runs; its commit reaches the target within a few intervals.
        var onSource = scenario.ConsumeOnSource(321, timeout.Token);
        var clock = Stopwatch.StartNew();
        await AgentRun.WaitUntilAsync(
            () => GroupSyncFile.Read(targetOptions.Queue.Path).Count(r => r.Group == FailoverScenario.Group && r.CommittedOffset == r.TargetOffset && r.SyncedAt is not null && r.SourceOffset is not null) == scenario.Partitions
                && GroupSyncFile.Read(targetOptions.Queue.Path).Sum(r => r.Lag ?? 0) == 1_000 - 321,
            timeout.Token);
        output.WriteLine($"source commit to target commit: {clock.ElapsedMilliseconds} ms (interval 200 ms)");

        var report = GroupSyncFile.Read(targetOptions.Queue.Path);
        Assert.All(report.Where(r => r.Group == "nobody-here"), r => Assert.Equal((TranslationStatus.NoSourceOffset, GroupSyncAction.Skipped), (r.Status, r.Action)));
        await target.StopAsync();
        var onTarget = FailoverScenario.ConsumeOnTarget(scenario.Harness.Target.BootstrapServers, scenario.Topic, 1_000 - 321, timeout.Token);
        FailoverScenario.AssertExactlyOnce(1_000, onSource, onTarget);
        await source.StopAsync();
    }
}
