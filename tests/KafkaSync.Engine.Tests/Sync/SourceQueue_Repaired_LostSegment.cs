using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

/// <summary>
/// A source queue loses a middle segment, `repair` records its seqs as lost, and the pipeline runs
/// on: everything else reaches the target cluster, and both agents name the lost seqs with the
/// source offsets they held. 6,000 small records over 2 partitions stay far under the embedded
/// broker's per-partition cap.
/// </summary>
public sealed class SourceQueue_Repaired_LostSegment
{
    private static readonly string[] Topics = ["lossy"];

    [Fact]
    public async Task Records_around_a_lost_segment_reach_the_target_and_both_agents_report_the_lost_offsets()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 2);
        await harness.ProduceAsync(Topics, 2, 6_000, 0, timeout.Token);

        // Fill the source queue with no target listening yet.
        var port = AgentRun.FreePort();
        var sourceOptions = harness.SourceOptions($"127.0.0.1:{port}", Topics) is var o
            ? o with { Queue = o.Queue with { SegmentSize = new ByteSize(64 << 10) } }
            : null!;
        using (var filling = AgentRun.StartSource(sourceOptions, timeout.Token))
        {
            await AgentRun.WaitUntilAsync(() => filling.StatusOf().RecordsIn == 6_000, timeout.Token);
            await filling.StopAsync();
        }

        var segments = Directory.GetFiles(sourceOptions.Queue.Path, "*.seg").Order(StringComparer.Ordinal).ToArray();
        Assert.True(segments.Length > 5, $"{segments.Length} segments; a middle one must go");
        File.Delete(segments[2]);
        var lost = Assert.Single(DiskQueue.Repair(sourceOptions.Queue.Path, whatIf: false).LostSeqs);

        var (target, _) = await AgentRun.StartTargetAsync(harness.TargetOptions() with { Link = new() { Listen = $"127.0.0.1:{port}" } }, timeout.Token);
        using var __ = target;
        using var source = AgentRun.StartSource(sourceOptions, timeout.Token);
        await AgentRun.WaitUntilAsync(() => source.Run.IsCompleted || (target.StatusOf().DoneSeq >= source.StatusOf().NextSeq - 1 && source.StatusOf().NextSeq > 1), timeout.Token);
        Assert.False(source.Run.IsCompleted, $"the source agent stopped: {source.StatusOf().LastError}");

        var sourceLost = Assert.Single(source.StatusOf().LostSeqs);
        Assert.Equal((lost.First, lost.Last), (sourceLost.First, sourceLost.Last));
        Assert.NotEmpty(sourceLost.Offsets);
        Assert.All(sourceLost.Offsets, off => Assert.StartsWith("kcat -C -b " + harness.Source.BootstrapServers, off.RefetchCommand, StringComparison.Ordinal));
        var lostRecords = sourceLost.Offsets.Sum(off => off.Count);
        Assert.Equal(lost.Count, lostRecords);

        using (var describe = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token))
        {
            describe.CancelAfter(TimeSpan.FromSeconds(20));
            var shown = target.StatusOf();
            try
            {
                await AgentRun.WaitUntilAsync(() => (shown = target.StatusOf()).LostSeqs is [{ Offsets.Count: > 0 }], describe.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("the target never described its lost seqs: " + System.Text.Json.JsonSerializer.Serialize(shown));
            }
        }

        var targetLost = Assert.Single(target.StatusOf().LostSeqs);
        Assert.Equal((lost.First, lost.Last), (targetLost.First, targetLost.Last));
        Assert.Equal(sourceLost.Offsets.Select(x => (x.Topic, x.Partition, x.FromOffset, x.ToOffset)), targetLost.Offsets.Select(x => (x.Topic, x.Partition, x.FromOffset, x.ToOffset)));

        // The target cluster holds every source record but exactly the lost offsets.
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 2, 6_000 - (int)lostRecords, timeout.Token));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 2, 6_000, timeout.Token));
        var kept = original.ToDictionary(
            p => p.Key,
            p => p.Value.Where(r => !sourceLost.Offsets.Any(off => off.Topic == p.Key.Topic && off.Partition == p.Key.Partition && r.Offset.Value >= off.FromOffset && r.Offset.Value <= off.ToOffset)).ToList());
        SyncHarness.AssertSame(kept, copied);

        await source.StopAsync();
        await target.StopAsync();
    }
}
