using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class TargetCluster_Down_ProducerBufferFull
{
    private static readonly string[] Topics = ["a", "b"];

    /// <summary>
    /// More records than the producer's buffer holds wait for a target cluster that is down, so
    /// the producer meets a full buffer and waits for delivery reports to make room; they come
    /// once the cluster returns. Every record then arrives once, in order, with its own content.
    /// 4,000 records per partition stay far under the embedded broker's 5 MiB cap.
    /// </summary>
    [Fact]
    public async Task A_full_producer_buffer_waits_for_the_cluster_and_loses_or_doubles_nothing()
    {
        const int Before = 2_000;
        var during = TargetProducer.BufferMessages + 10_000;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        using var harness = new SyncHarness(targetBrokers: 2);
        harness.CreateTopics(Topics, partitions: 4);
        await harness.ProduceAsync(Topics, 4, Before, 0, timeout.Token);
        var options = harness.TargetOptions();
        options.Kafka.Settings["reconnect.backoff.max.ms"] = "500";
        var (target, port) = await AgentRun.StartTargetAsync(options, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", Topics), timeout.Token);
        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut == Before, timeout.Token);

        harness.Target.SetAllBrokersDown();
        await harness.ProduceAsync(Topics, 4, during, Before, timeout.Token);
        await AgentRun.WaitUntilAsync(() => target.StatusOf().Note == "target cluster slow or down", timeout.Token);
        harness.Target.SetAllBrokersUp();

        var total = Before + during;
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 4, total, timeout.Token));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 4, total, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut == total, timeout.Token);
        await source.StopAsync();
        await target.StopAsync();
    }
}
