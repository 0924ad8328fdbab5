using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Tests.Sync;

namespace KafkaSync.Engine.Tests.Offsets;

/// <summary>
/// Two embedded clusters, a source topic whose records carry unique values ("r-N"), and the
/// consumer-group moves of a failover: consume part of the topic on the source and commit, sync,
/// then let the same group continue on the target. Partitions stay far below the mock's 5 MiB cap.
/// </summary>
internal sealed class FailoverScenario : IDisposable
{
    public const string Group = "billing";

    public FailoverScenario(string topic = "orders", int partitions = 2, int targetBrokers = 1)
    {
        Topic = topic;
        Partitions = partitions;
        Harness = new SyncHarness(targetBrokers: targetBrokers);
        Harness.Source.CreateTopic(topic, partitions);
    }

    public SyncHarness Harness { get; }

    public string Topic { get; }

    public int Partitions { get; }

    public KafkaConnectionOptions SourceKafka => new() { BootstrapServers = Harness.Source.BootstrapServers };

    public KafkaConnectionOptions TargetKafka => new() { BootstrapServers = Harness.Target.BootstrapServers };

    /// <summary>
    /// Produces <paramref name="count"/> records in transactions of <paramref name="perTransaction"/>:
    /// each commit marker takes an offset, so the source partitions have gaps, as compaction or a
    /// transactional producer leaves them.
    /// </summary>
    public void ProduceWithGaps(int count, int perTransaction, int start = 0)
    {
        var config = KafkaClients.Producer(Harness.Source.BootstrapServers);
        config.TransactionalId = "source-app-" + Guid.NewGuid().ToString("N");
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(config).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        for (var i = start; i < start + count; i += perTransaction)
        {
            producer.BeginTransaction();
            for (var j = i; j < Math.Min(start + count, i + perTransaction); j++)
            {
                producer.Produce(new TopicPartition(Topic, j % Partitions), Message(j));
            }

            producer.CommitTransaction(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Produces <paramref name="count"/> records with no gaps.</summary>
    public void Produce(int count, int start = 0)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(KafkaClients.Producer(Harness.Source.BootstrapServers)).Build();
        for (var j = start; j < start + count; j++)
        {
            producer.Produce(new TopicPartition(Topic, j % Partitions), Message(j));
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>A member of <see cref="Group"/> reads <paramref name="count"/> records on the source, commits what it read and leaves.</summary>
    public List<string> ConsumeOnSource(int count, CancellationToken ct)
    {
        var config = KafkaClients.Consumer(Harness.Source.BootstrapServers, Group);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Subscribe(Topic);
        var seen = new List<string>();
        var next = new Dictionary<TopicPartition, long>();
        while (seen.Count < count)
        {
            var result = consumer.Consume(ct);
            seen.Add(Encoding.UTF8.GetString(result.Message.Value!));
            next[result.TopicPartition] = result.Offset.Value + 1;
        }

        consumer.Commit(next.Select(n => new TopicPartitionOffset(n.Key, n.Value)));
        consumer.Close();
        return seen;
    }

    /// <summary>A member of <see cref="Group"/> on the target reads until <paramref name="expected"/> records arrived and a quiet second shows no more.</summary>
    public static List<string> ConsumeOnTarget(string bootstrap, string topic, int expected, CancellationToken ct) =>
        ConsumeOnTargetAt(bootstrap, topic, expected, ct).Select(r => r.Value).ToList();

    /// <summary>As <see cref="ConsumeOnTarget"/>, with where each record was read.</summary>
    public static List<(string Value, int Partition, long Offset)> ConsumeOnTargetAt(string bootstrap, string topic, int expected, CancellationToken ct)
    {
        var config = KafkaClients.Consumer(bootstrap, Group);
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Subscribe(topic);
        var seen = new List<(string, int, long)>();
        var lastSeen = DateTime.UtcNow;
        while (seen.Count < expected || DateTime.UtcNow - lastSeen < TimeSpan.FromSeconds(1))
        {
            ct.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            seen.Add((Encoding.UTF8.GetString(result.Message.Value!), result.Partition.Value, result.Offset.Value));
            lastSeen = DateTime.UtcNow;
        }

        consumer.Close();
        return seen;
    }

    /// <summary>Waits until the map in <paramref name="queuePath"/> covers <paramref name="records"/> records.</summary>
    public static async Task WaitForMapAsync(string queuePath, long records, CancellationToken ct)
    {
        await AgentRun.WaitUntilAsync(() => File.Exists(Path.Combine(queuePath, OffsetMap.FileName)) && OffsetMap.Load(queuePath).RecordCount >= records, ct);
    }

    /// <summary>
    /// Reads both topics whole and checks every range of the map against them: the target record
    /// at each mapped offset is the source record it claims to be, and its last copy in the target
    /// partition (a record of an aborted transaction, or one a killed agent sent again, always has
    /// a later copy). A misplaced record, or an aborted one in the map, fails here.
    /// </summary>
    public void AssertMapMatchesLogs(OffsetMap map, string targetTopic, int records, CancellationToken ct, int targetRecords = -1)
    {
        var source = SyncHarness.ReadAll(Harness.Source.BootstrapServers, [Topic], Partitions, records, ct);
        var target = SyncHarness.ReadAll(Harness.Target.BootstrapServers, [targetTopic], Partitions, targetRecords < 0 ? records : targetRecords, ct);
        var sourceAt = source.SelectMany(p => p.Value).ToDictionary(r => (r.Partition.Value, r.Offset.Value), r => Encoding.UTF8.GetString(r.Message.Value!));
        var targetAt = target.SelectMany(p => p.Value).ToDictionary(r => (r.Partition.Value, r.Offset.Value), r => Encoding.UTF8.GetString(r.Message.Value!));
        var lastCopy = new Dictionary<(int, string), long>();
        foreach (var ((partition, offset), value) in targetAt)
        {
            lastCopy[(partition, value)] = Math.Max(offset, lastCopy.GetValueOrDefault((partition, value), -1));
        }

        Assert.Equal(records, map.RecordCount);
        foreach (var range in map.Ranges)
        {
            Assert.Equal(targetTopic, range.TargetTopic);
            for (var i = 0L; i < range.Count; i++)
            {
                var expected = sourceAt[(range.SourcePartition, range.SourceFirst + i)];
                Assert.True(targetAt.TryGetValue((range.TargetPartition, range.TargetFirst + i), out var actual), $"target {range.TargetPartition}@{range.TargetFirst + i} holds no record");
                Assert.Equal(expected, actual);
                Assert.Equal(lastCopy[(range.TargetPartition, expected)], range.TargetFirst + i);
            }
        }
    }

    /// <summary>Every record exactly once across the two sites.</summary>
    public static void AssertExactlyOnce(int records, List<string> onSource, List<string> onTarget)
    {
        var both = onSource.Concat(onTarget).ToList();
        var doubled = both.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        Assert.True(doubled.Count == 0, $"read twice: {string.Join(", ", doubled)}");
        var missing = Enumerable.Range(0, records).Select(Value).Except(both).Take(5).ToList();
        Assert.True(missing.Count == 0, $"never read: {string.Join(", ", missing)}");
        Assert.Equal(records, both.Count);
    }

    public static string Value(int i) => $"r-{i}";

    private static Message<byte[]?, byte[]?> Message(int i) => new() { Key = Encoding.UTF8.GetBytes($"k-{i % 17}"), Value = Encoding.UTF8.GetBytes(Value(i)) };

    public void Dispose() => Harness.Dispose();
}
