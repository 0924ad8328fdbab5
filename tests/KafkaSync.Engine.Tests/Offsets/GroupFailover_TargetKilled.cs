using System.Text.Json;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Tests.Sync;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Offsets;

public sealed class GroupFailover_TargetKilled(ITestOutputHelper output)
{
    private const int Records = 20_000;

    [Fact]
    public async Task Map_survives_SIGKILL_of_the_target_agent_and_the_group_continues_without_skipping()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        using var scenario = new FailoverScenario();
        scenario.Harness.Target.CreateTopic(scenario.Topic, scenario.Partitions);
        scenario.ProduceWithGaps(Records / 2, perTransaction: 50);
        var onSource = scenario.ConsumeOnSource(5_000, timeout.Token);

        var port = AgentRun.FreePort();
        var options = scenario.Harness.TargetOptions() with { Link = new() { Listen = $"127.0.0.1:{port}" } };
        var config = Path.Combine(scenario.Harness.Folder, "target.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(options, ConfigFile.Json), timeout.Token);
        using var source = AgentRun.StartSource(scenario.Harness.SourceOptions($"127.0.0.1:{port}", [scenario.Topic]), timeout.Token);

        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        for (var kill = 0; kill < 2; kill++)
        {
            using var host = HostProcess.Start("target", "--config", config);
            var before = MapRecords(options.Queue.Path);
            // Kill once this process has added to the map, after a random extra delay: records in
            // flight, deliveries recorded but not yet flushed, a flush half written.
            var target = kill == 0 ? Records / 2 : Records;
            await AgentRun.WaitUntilAsync(() => host.HasExited || MapRecords(options.Queue.Path) > before || before == target, timeout.Token);
            Assert.False(host.HasExited, host.Output);
            await Task.Delay(random.Next(0, 150), timeout.Token);
            host.Kill();
            await host.WaitAsync(timeout.Token);
            output.WriteLine($"killed with {MapRecords(options.Queue.Path)} record(s) in the map");
            if (kill == 0)
            {
                // The second half waits in the source queue, so the next start has a backlog to be killed in.
                scenario.ProduceWithGaps(Records / 2, perTransaction: 50, start: Records / 2);
                await AgentRun.WaitUntilAsync(() => source.StatusOf().RecordsIn >= Records, timeout.Token);
            }
        }

        using var last = HostProcess.Start("target", "--config", config);
        // The restarted agent rewrites the map on start (dropping what the killed one had not
        // flushed) and produces those records again: read the map only once this process has
        // produced everything, or the read races the rewrite.
        await AgentRun.WaitUntilAsync(() => ProducedEverything(options.Queue.Path, last.Id), timeout.Token);
        await FailoverScenario.WaitForMapAsync(options.Queue.Path, Records, timeout.Token);
        var map = OffsetMap.Load(options.Queue.Path);
        scenario.AssertMapMatchesLogs(map, scenario.Topic, Records, timeout.Token);

        var rows = await new ConsumerGroupSync(scenario.SourceKafka, scenario.TargetKafka, () => map).SyncAsync([FailoverScenario.Group], commit: true, timeout.Token);
        Assert.All(rows, r => Assert.Equal((TranslationStatus.Exact, GroupSyncAction.Committed), (r.Status, r.Action)));
        var onTarget = FailoverScenario.ConsumeOnTarget(scenario.Harness.Target.BootstrapServers, scenario.Topic, Records - 5_000, timeout.Token);

        // Without exactly-once a killed agent sends again what was in flight, so the target log
        // itself may hold a record twice. Those doubles are the only extras allowed: the group
        // must not read again anything it read on the source, nor miss anything.
        var targetLog = SyncHarness.ReadAll(scenario.Harness.Target.BootstrapServers, [scenario.Topic], scenario.Partitions, Records, timeout.Token)
            .SelectMany(p => p.Value).GroupBy(r => System.Text.Encoding.UTF8.GetString(r.Message.Value!)).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        output.WriteLine($"{targetLog.Count} record(s) doubled in the target log by the kills");
        Assert.Empty(onSource.Intersect(onTarget));
        var doubledRead = onTarget.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.All(doubledRead, v => Assert.Contains(v, targetLog));
        FailoverScenario.AssertExactlyOnce(Records, onSource, onTarget.Distinct().ToList());
        last.Terminate();
        Assert.Equal(0, await last.WaitAsync(timeout.Token));
        await source.StopAsync();
    }

    private static long MapRecords(string queuePath)
    {
        try
        {
            return File.Exists(Path.Combine(queuePath, OffsetMap.FileName)) ? OffsetMap.Load(queuePath).RecordCount : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static bool ProducedEverything(string queuePath, int processId)
    {
        try
        {
            var status = KafkaSync.Engine.Sync.AgentStatusFile.Read(queuePath);
            return status.ProcessId == processId && status.DoneSeq > 0 && status.LagRecords == 0;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return false;
        }
    }
}
