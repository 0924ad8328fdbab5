using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class SourceQueue_Full_Backpressure
{
    private static readonly string[] Topics = ["a"];

    [Fact]
    public async Task A_full_source_queue_pauses_consumption_and_nothing_is_lost_once_the_link_drains_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 2);
        await harness.ProduceAsync(Topics, 2, 4_000, 0, timeout.Token);
        var port = AgentRun.FreePort();
        // ~4,000 records of ~120 B need ~480 KiB; the queue holds 128 KiB.
        var options = harness.SourceOptions($"127.0.0.1:{port}", Topics) with
        {
            Queue = new() { Path = Path.Combine(harness.Folder, "small"), SegmentSize = new ByteSize(16 << 10), Capacity = new ByteSize(128 << 10) },
        };
        using var source = AgentRun.StartSource(options, timeout.Token);

        // No target yet: the queue fills and the consumer waits instead of reading on.
        await AgentRun.WaitUntilAsync(() => source.StatusOf().Note == "queue full", timeout.Token);
        var held = source.StatusOf().RecordsIn;
        Assert.InRange(held, 1, 3_999);

        var targetOptions = harness.TargetOptions() with { Link = new() { Listen = $"127.0.0.1:{port}" } };
        var (target, _) = await AgentRun.StartTargetAsync(targetOptions, timeout.Token);
        using var _ = target;
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 2, 4_000, timeout.Token));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 2, 4_000, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        await source.StopAsync();
        await target.StopAsync();
    }
}
