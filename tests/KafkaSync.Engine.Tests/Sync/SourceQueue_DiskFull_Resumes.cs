using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Tests.Queue;

namespace KafkaSync.Engine.Tests.Sync;

/// <summary>
/// The source queue on a real small disk (tmpfs) that fills up while the agent consumes: the
/// agent pauses instead of failing, says so in its status and log, and resumes once the disk is
/// bigger; the target then holds every record exactly once.
/// </summary>
public sealed class SourceQueue_DiskFull_Resumes(ITestOutputHelper output)
{
    private static readonly string[] Topics = ["a"];
    private const int Records = 20_000; // about 3.5 MB in the queue; 4 partitions keep each far under the embedded broker's 5 MiB cap

    [Fact]
    public async Task A_full_disk_pauses_the_source_agent_and_it_resumes_when_room_returns_with_every_record_once()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 4);
        await harness.ProduceAsync(Topics, 4, Records, 0, timeout.Token);
        using var disk = new TmpfsMount("3m");
        var port = AgentRun.FreePort();
        var queuePath = Path.Combine(disk.Path, "source-queue");
        var options = harness.SourceOptions($"127.0.0.1:{port}", Topics) with
        {
            Queue = new() { Path = queuePath, SegmentSize = new ByteSize(256 << 10), Capacity = new ByteSize(1L << 30) },
        };
        var log = new ConcurrentQueue<string>();
        var agent = new SourceAgent(options, new Progress<string>(log.Enqueue));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var run = agent.RunAsync(stop.Token);

        // No target yet, and a queue capacity far above the disk: the disk fills first.
        await AgentRun.WaitUntilAsync(() => agent.Status.Note.StartsWith("paused: disk full at ", StringComparison.Ordinal) || run.IsCompleted, timeout.Token);
        Assert.False(run.IsCompleted, $"the agent ended: {(run.IsFaulted ? run.Exception!.InnerException!.Message : "stopped")}");
        var paused = agent.Status;
        Assert.Equal(AgentState.Running, paused.State);
        Assert.Matches($@"^paused: disk full at {System.Text.RegularExpressions.Regex.Escape(queuePath)}, [\d,]+ bytes free; retrying$", paused.Note);
        // Not all in; maybe none counted yet: records the writer took in the same batch as the one
        // that met the full disk become durable with it, once it is written.
        Assert.InRange(paused.RecordsIn, 0, Records - 1);

        // What another process sees: the status file beside the queue says it too (the writer
        // leaves room for it).
        await AgentRun.WaitUntilAsync(() => AgentStatusFile.Read(queuePath).Note.StartsWith("paused: disk full", StringComparison.Ordinal), timeout.Token);

        // Still paused a few retries later, not failed; one warning, not one per retry.
        await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
        Assert.StartsWith("paused: disk full", agent.Status.Note, StringComparison.Ordinal);
        Assert.Equal(AgentState.Running, agent.Status.State);
        Assert.True(log.Count(l => l.Contains("is full", StringComparison.Ordinal)) == 1, string.Join("\n", log));

        var freed = Stopwatch.StartNew();
        disk.Resize("32m");
        await AgentRun.WaitUntilAsync(() => !agent.Status.Note.StartsWith("paused: disk full", StringComparison.Ordinal), timeout.Token);
        var resumed = freed.Elapsed;
        await AgentRun.WaitUntilAsync(() => agent.Status.RecordsIn == Records, timeout.Token);
        var allIn = freed.Elapsed;
        output.WriteLine($"paused after {paused.RecordsIn:N0} of {Records:N0} records; writing resumed {resumed.TotalSeconds:0.0} s after the disk grew, all records queued after {allIn.TotalSeconds:0.0} s");
        Assert.Single(log, l => l.Contains("has room again", StringComparison.Ordinal));

        var targetOptions = harness.TargetOptions() with { Link = new() { Listen = $"127.0.0.1:{port}" } };
        var (target, _) = await AgentRun.StartTargetAsync(targetOptions, timeout.Token);
        using var _ = target;
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 4, Records, timeout.Token));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 4, Records, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        await stop.CancelAsync();
        var final = await run;
        Assert.Equal(AgentState.Stopped, final.State);
        Assert.DoesNotContain("disk", final.LastError ?? "", StringComparison.OrdinalIgnoreCase); // the link's refused connects before the target started are expected
        await target.StopAsync();
        foreach (var line in log)
        {
            output.WriteLine(line);
        }
    }
}
