using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class SyncEndToEndTests
{
    private static readonly string[] Topics = ["orders", "payments", "clicks"];

    [Fact]
    public async Task Hundred_thousand_records_on_3_topics_of_4_partitions_arrive_equal_and_in_order()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 4);
        // 100,000 records of ~100 B over 12 partitions: ~0.8 MiB per partition, well under the
        // mock cluster's 5 MiB per-partition cap, so filling before the consumer joins loses nothing.
        await harness.ProduceAsync(Topics, 4, 100_000, 0, timeout.Token);

        var target = new TargetAgent(harness.TargetOptions());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var targetRun = target.RunAsync(stop.Token);
        var endpoint = await target.Listening;
        var source = new SourceAgent(harness.SourceOptions($"127.0.0.1:{endpoint.Port}", Topics));
        var sourceRun = source.RunAsync(stop.Token);

        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 4, 100_000, timeout.Token));
        stop.Cancel();
        var sourceStatus = await sourceRun;
        var targetStatus = await targetRun;

        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 4, 100_000, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        Assert.Equal(100_000, sourceStatus.RecordsIn);
        Assert.Equal(100_000, targetStatus.RecordsOut);
        Assert.True(sourceStatus.CompressionRatio > 2, $"compression ratio {sourceStatus.CompressionRatio}");
    }
}
