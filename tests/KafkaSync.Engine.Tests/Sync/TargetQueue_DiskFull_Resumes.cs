using System.Diagnostics;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Tests.Queue;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Sync;

/// <summary>
/// The target queue on a real small disk (tmpfs) that fills while the target cluster is down:
/// the target agent pauses the link instead of failing, says so in its status, and once the
/// cluster is back the producer's progress frees segments and writing resumes by itself (the
/// queue leaves room for its cursors); the target ends with every record exactly once.
/// </summary>
public sealed class TargetQueue_DiskFull_Resumes(ITestOutputHelper output)
{
    private static readonly string[] Topics = ["a"];
    private const int Records = 40_000; // about 7 MB in the queue, on a 4 MiB disk

    [Fact]
    public async Task A_full_target_disk_pauses_the_link_and_the_pipeline_resumes_once_the_producer_frees_space()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 4);
        using var disk = new TmpfsMount("4m");
        var options = harness.TargetOptions() with
        {
            Queue = new() { Path = Path.Combine(disk.Path, "target-queue"), SegmentSize = new ByteSize(256 << 10), Capacity = new ByteSize(1L << 30) },
        };
        options.Kafka.Settings["reconnect.backoff.max.ms"] = "500";
        var (target, port) = await AgentRun.StartTargetAsync(options, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", Topics), timeout.Token);
        await harness.ProduceAsync(Topics, 4, 1_000, 0, timeout.Token);
        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut == 1_000, timeout.Token);

        // Nothing can leave the target queue while its cluster is down: the disk fills.
        harness.Target.SetAllBrokersDown();
        await harness.ProduceAsync(Topics, 4, Records - 1_000, 1_000, timeout.Token);
        await AgentRun.WaitUntilAsync(() => target.StatusOf().Note.StartsWith("paused: disk full at ", StringComparison.Ordinal) || target.Run.IsCompleted, timeout.Token);
        Assert.False(target.Run.IsCompleted, "the target agent ended");
        await AgentRun.WaitUntilAsync(() => source.StatusOf().RecordsIn == Records, timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
        var paused = target.StatusOf();
        var sender = source.StatusOf();
        Assert.Equal(AgentState.Running, paused.State);
        Assert.Equal(AgentState.Running, sender.State);
        Assert.StartsWith("paused: disk full at ", paused.Note, StringComparison.Ordinal);
        // Acks cover only durable seqs: the source keeps what the target could not write.
        Assert.True(sender.LagRecords > 0, "the source's link should wait for acks while the target cannot write");

        var back = Stopwatch.StartNew();
        harness.Target.SetAllBrokersUp();
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 4, Records, timeout.Token));
        output.WriteLine($"paused with {sender.LagRecords:N0} of {Records:N0} records not acknowledged; all records on the target {back.Elapsed.TotalSeconds:0.0} s after its cluster returned");
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 4, Records, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        Assert.DoesNotContain("disk full", target.StatusOf().Note, StringComparison.Ordinal);
        await source.StopAsync();
        var final = await target.StopAsync();
        Assert.Equal(AgentState.Stopped, final.State);
    }
}
