using System.Globalization;
using System.Text;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class TargetTopic_FewerPartitions_KeyPlacement
{
    /// <summary>
    /// Source partitions 0 and 1 have a target counterpart and are produced to it; 2 and 3 have
    /// none, so librdkafka's partitioner places them by key. Both kinds land in the same target
    /// partitions, and each is reported through its own path: every record must arrive once.
    /// </summary>
    [Fact]
    public async Task Records_without_a_counterpart_partition_are_placed_by_key_and_none_is_lost_or_doubled()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var harness = new SyncHarness();
        harness.Source.CreateTopic("wide", 4);
        harness.Target.CreateTopic("wide", 2);
        await harness.ProduceAsync(["wide"], 4, 2_000, 0, timeout.Token);
        var options = harness.TargetOptions() with { PartitionMismatch = PartitionMismatch.Key, ProvenanceHeaders = true };
        var (target, port) = await AgentRun.StartTargetAsync(options, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", ["wide"]), timeout.Token);
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, ["wide"], 2, 2_000, timeout.Token));

        string Header(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> r, string key) => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(key));
        var all = copied.Values.SelectMany(r => r).ToList();
        Assert.Equal(2_000, all.Count);
        Assert.Equal(2_000, all.Select(r => (Header(r, "kafkasync.source.partition"), Header(r, "kafkasync.source.offset"))).Distinct().Count());
        foreach (var ((_, partition), records) in copied)
        {
            // Each source partition's order survives within the target partition it went to.
            foreach (var group in records.GroupBy(r => Header(r, "kafkasync.source.partition")))
            {
                var offsets = group.Select(r => long.Parse(Header(r, "kafkasync.source.offset"), CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(offsets.Order(), offsets);
                if (int.Parse(group.Key, CultureInfo.InvariantCulture) < 2)
                {
                    Assert.Equal(partition, int.Parse(group.Key, CultureInfo.InvariantCulture));
                }
            }
        }

        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut == 2_000, timeout.Token);
        await source.StopAsync();
        var status = await target.StopAsync();
        Assert.Equal(2_000, status.RecordsOut);
    }
}
