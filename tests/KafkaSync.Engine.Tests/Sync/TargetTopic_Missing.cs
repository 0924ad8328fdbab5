namespace KafkaSync.Engine.Tests.Sync;

public sealed class TargetTopic_Missing
{
    [Fact]
    public async Task A_missing_target_topic_is_created_and_records_keep_their_partition()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var harness = new SyncHarness();
        harness.Source.CreateTopic("fresh", 2);
        await harness.ProduceAsync(["fresh"], 2, 200, 0, timeout.Token);
        // The embedded cluster's CreateTopics times out (it has no controller), so the agent falls
        // back to the broker's auto-creation, which the mock does with 4 partitions; a real
        // cluster gets the source's count (2) from the topic descriptor the source queued.
        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions() with { CreateTopics = true }, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", ["fresh"]), timeout.Token);

        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, ["fresh"], 2, 200, timeout.Token));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, ["fresh"], 2, 200, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        using var admin = new Confluent.Kafka.AdminClientBuilder(KafkaSync.Engine.Kafka.KafkaClients.Admin(harness.Target.BootstrapServers)).Build();
        var partitions = admin.GetMetadata("fresh", TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        Assert.True(partitions >= 2, $"target topic has {partitions} partition(s)");
        await source.StopAsync();
        await target.StopAsync();
    }
}
