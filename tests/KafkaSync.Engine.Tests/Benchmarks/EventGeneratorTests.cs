using KafkaSync.Engine.Benchmarks;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Tests.Benchmarks;

public sealed class EventGeneratorTests
{
    [Fact]
    public void The_same_seed_gives_the_same_records_and_another_seed_other_ones()
    {
        var a = new EventGenerator(5).Take(500);
        var b = new EventGenerator(5).Take(500);
        var c = new EventGenerator(6).Take(500);
        Assert.True(a.Zip(b).All(p => p.First.ContentEquals(p.Second)));
        Assert.False(a.Zip(c).All(p => p.First.ContentEquals(p.Second)));
    }

    [Fact]
    public void Records_look_like_real_traffic_spread_over_topics_and_partitions()
    {
        var records = new EventGenerator().Take(20_000);
        var average = records.Average(r => KafkaRecordSerializer.Serialize(r).Length);
        Assert.InRange(average, 300, 420);
        Assert.Equal(EventGenerator.Topics.Count, records.Select(r => r.Topic).Distinct().Count());
        Assert.Equal(EventGenerator.Topics.Sum(t => t.Partitions), records.Select(r => (r.Topic, r.Partition)).Distinct().Count());
        Assert.All(records, r =>
        {
            Assert.NotNull(r.Key);
            Assert.StartsWith("{", System.Text.Encoding.UTF8.GetString(r.Value!), StringComparison.Ordinal);
            Assert.NotEmpty(r.Headers);
        });

        // Offsets increase by one within each partition, as Kafka assigns them.
        foreach (var partition in records.GroupBy(r => (r.Topic, r.Partition)))
        {
            var offsets = partition.Select(r => r.Offset).ToArray();
            Assert.True(offsets.Zip(offsets.Skip(1)).All(p => p.Second == p.First + 1));
        }
    }

    [Fact]
    public void The_kafka_baseline_packs_each_partition_into_batches_of_at_most_16_KiB()
    {
        var records = new EventGenerator().Take(20_000);
        var result = KafkaBatchBaseline.Measure(records, 1);
        var partitions = records.Select(r => (r.Topic, r.Partition)).Distinct().Count();
        Assert.Equal(records.Length, result.Records);
        Assert.True(result.Batches >= partitions);

        // Full batches hold at most 16 KiB less the batch header; a batch per partition may be part-full.
        Assert.True(result.RawBytes <= result.Batches * (KafkaBatchBaseline.DefaultBatchBytes - KafkaBatchBaseline.BatchHeaderBytes));
        Assert.True(result.RawBytes >= (result.Batches - partitions) * (KafkaBatchBaseline.DefaultBatchBytes - 1024));
        Assert.InRange(result.Ratio, 1.5, 20);
    }
}
