namespace KafkaSync.Engine.Tests.Sync;

public sealed class TargetAgent_Restart_MidStream
{
    private static readonly string[] Topics = ["a", "b"];

    [Fact]
    public async Task Restarted_target_agent_resumes_without_doubles_or_gaps()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 4);
        await harness.ProduceAsync(Topics, 4, 20_000, 0, timeout.Token);
        var port = AgentRun.FreePort();
        var targetOptions = harness.TargetOptions() with { Link = new() { Listen = $"127.0.0.1:{port}" } };
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", Topics), timeout.Token);

        using (var first = (await AgentRun.StartTargetAsync(targetOptions, timeout.Token)).Run)
        {
            await AgentRun.WaitUntilAsync(() => first.StatusOf().RecordsOut > 0, timeout.Token);
            await first.StopAsync();
        }

        await harness.ProduceAsync(Topics, 4, 20_000, 20_000, timeout.Token);
        using var second = (await AgentRun.StartTargetAsync(targetOptions, timeout.Token)).Run;
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 4, 40_000, timeout.Token));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 4, 40_000, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        await source.StopAsync();
        await second.StopAsync();
    }
}
