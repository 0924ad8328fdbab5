using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

/// <summary>
/// The source agent starts on a queue whose cursors are damaged, the way a cut tail or a garbled
/// file leaves them, and runs on with a warning instead of refusing to start. 3,000 small records
/// over 2 partitions stay far under the embedded broker's per-partition cap.
/// </summary>
public sealed class SourceQueue_Damaged_Cursors
{
    private static readonly string[] Topics = ["cursors"];

    [Fact]
    public async Task A_garbled_link_cursor_and_a_cursor_past_the_end_are_fixed_with_a_warning_and_every_record_arrives()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 2);
        await harness.ProduceAsync(Topics, 2, 3_000, 0, timeout.Token);
        var port = AgentRun.FreePort();
        var sourceOptions = harness.SourceOptions($"127.0.0.1:{port}", Topics);
        long next;
        using (var filling = AgentRun.StartSource(sourceOptions, timeout.Token))
        {
            await AgentRun.WaitUntilAsync(() => filling.StatusOf().RecordsIn == 3_000, timeout.Token);
            next = (await filling.StopAsync()).NextSeq;
        }

        // The offsets checkpoint says it finished with seqs the queue no longer holds (its tail was
        // cut after they were checkpointed), and the link cursor holds garbage.
        var cursors = Path.Combine(sourceOptions.Queue.Path, "cursors");
        File.WriteAllText(Path.Combine(cursors, "source-offsets.cursor"), $"{next + 4}\n");
        File.WriteAllText(Path.Combine(cursors, "link.cursor"), "\u0001\u0002 not a number");

        var (target, _) = await AgentRun.StartTargetAsync(harness.TargetOptions() with { Link = new() { Listen = $"127.0.0.1:{port}" } }, timeout.Token);
        using var __ = target;
        using var source = AgentRun.StartSource(sourceOptions, timeout.Token);
        await AgentRun.WaitUntilAsync(() => source.Run.IsCompleted || target.StatusOf().DoneSeq >= next + 4, timeout.Token);
        Assert.False(source.Run.IsCompleted, $"the source agent stopped: {source.StatusOf().LastError}");

        var warnings = source.StatusOf().Warnings;
        Assert.Contains(warnings, w => w.Contains("cursor 'link' was unreadable", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("'source-offsets' at " + (next + 4), StringComparison.Ordinal));

        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 2, 3_000, timeout.Token));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 2, 3_000, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        await source.StopAsync();
        await target.StopAsync();
    }
}
