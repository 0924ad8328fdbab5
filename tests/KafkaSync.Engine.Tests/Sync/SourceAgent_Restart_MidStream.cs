namespace KafkaSync.Engine.Tests.Sync;

public sealed class SourceAgent_Restart_MidStream
{
    private static readonly string[] Topics = ["a", "b"];

    [Fact]
    public async Task Restarted_source_agent_resumes_without_doubles_or_gaps()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 4);
        await harness.ProduceAsync(Topics, 4, 20_000, 0, timeout.Token);
        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        var sourceOptions = harness.SourceOptions($"127.0.0.1:{port}", Topics);

        using (var first = AgentRun.StartSource(sourceOptions, timeout.Token))
        {
            await AgentRun.WaitUntilAsync(() => first.StatusOf().RecordsIn > 0, timeout.Token);
            await first.StopAsync();
        }

        await harness.ProduceAsync(Topics, 4, 20_000, 20_000, timeout.Token);
        using var second = AgentRun.StartSource(sourceOptions, timeout.Token);
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 4, 40_000, timeout.Token));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 4, 40_000, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        await second.StopAsync();
        await target.StopAsync();
    }

    [Fact]
    public async Task Records_already_queued_are_skipped_when_kafka_offsets_were_not_committed()
    {
        // Simulates a crash between "durable in the queue" and "offset committed": the second
        // agent uses a new consumer group (no committed offsets), so Kafka hands it everything
        // again; only the queue's own record of what it holds prevents doubles.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 2);
        await harness.ProduceAsync(Topics, 2, 5_000, 0, timeout.Token);
        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        var sourceOptions = harness.SourceOptions($"127.0.0.1:{port}", Topics);

        using (var first = AgentRun.StartSource(sourceOptions, timeout.Token))
        {
            await AgentRun.WaitUntilAsync(() => first.StatusOf().RecordsIn == 5_000, timeout.Token);
            await first.StopAsync();
        }

        using var second = AgentRun.StartSource(sourceOptions with { GroupId = "another-group" }, timeout.Token);
        await harness.ProduceAsync(Topics, 2, 1_000, 5_000, timeout.Token);
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 2, 6_000, timeout.Token, quiet: TimeSpan.FromSeconds(3)));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 2, 6_000, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        var status = await second.StopAsync();
        Assert.Equal(1_000, status.RecordsIn);
        await target.StopAsync();
    }
}
