using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

/// <summary>Two embedded clusters, a temp folder with a link key, and helpers to fill and read topics.</summary>
internal sealed class SyncHarness : IDisposable
{
    public SyncHarness(int sourceBrokers = 1, int targetBrokers = 1)
    {
        Source = new EmbeddedKafka(sourceBrokers);
        Target = new EmbeddedKafka(targetBrokers);
        Folder = Directory.CreateTempSubdirectory("kafkasync-sync-").FullName;
        KeyFile = Path.Combine(Folder, "link.key");
        File.WriteAllText(KeyFile, "a-test-key-of-enough-length-1234\n");
    }

    public EmbeddedKafka Source { get; }

    public EmbeddedKafka Target { get; }

    public string Folder { get; }

    public string KeyFile { get; }

    public void CreateTopics(IEnumerable<string> topics, int partitions, bool onTarget = true)
    {
        foreach (var topic in topics)
        {
            Source.CreateTopic(topic, partitions);
            if (onTarget)
            {
                Target.CreateTopic(topic, partitions);
            }
        }
    }

    public TargetAgentOptions TargetOptions(string queue = "target-queue") => new()
    {
        Name = "t1",
        Kafka = new KafkaConnectionOptions { BootstrapServers = Target.BootstrapServers },
        Queue = new AgentQueueOptions { Path = Path.Combine(Folder, queue) },
        Link = new LinkReceiverOptions { Listen = "127.0.0.1:0" },
        LinkKeyFile = KeyFile,
        CreateTopics = false,
        DrainTimeout = TimeSpan.FromSeconds(10),
    };

    public SourceAgentOptions SourceOptions(string linkTarget, IReadOnlyList<string> topics, string queue = "source-queue") => new()
    {
        Name = "s1",
        Kafka = new KafkaConnectionOptions { BootstrapServers = Source.BootstrapServers },
        Topics = new TopicSelection { Names = topics },
        Queue = new AgentQueueOptions { Path = Path.Combine(Folder, queue) },
        Link = new LinkSenderOptions { Target = linkTarget },
        LinkKeyFile = KeyFile,
    };

    /// <summary>Produces <paramref name="count"/> records with keys, two headers and distinct timestamps, spread over every partition.</summary>
    public async Task ProduceAsync(IReadOnlyList<string> topics, int partitions, int count, int start, CancellationToken ct)
    {
        var config = KafkaClients.Producer(Source.BootstrapServers);
        config.LingerMs = 100;
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var baseTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var failed = 0;
        for (var i = start; i < start + count; i++)
        {
            var topic = topics[i % topics.Count];
            var partition = i / topics.Count % partitions;
            var message = new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes($"key-{i % 997}"),
                Value = Encoding.UTF8.GetBytes($"{{\"id\":{i},\"sensor\":\"s{i % 50}\",\"reading\":{i * 7 % 1000}.5}}"),
                Headers = [new Header("trace", Encoding.UTF8.GetBytes($"t{i}")), new Header("empty", null)],
                Timestamp = new Timestamp(baseTime + i, TimestampType.CreateTime),
            };
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(topic, partition), message, r =>
                    {
                        if (r.Error.IsError)
                        {
                            Interlocked.Increment(ref failed);
                        }
                    });
                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        await Task.Run(() => producer.Flush(ct), ct);
        Assert.Equal(0, failed);
    }

    /// <summary>Reads every partition of <paramref name="topics"/> from the beginning until <paramref name="expected"/> records arrived and a short quiet spell shows no more follow.</summary>
    public static Dictionary<(string Topic, int Partition), List<ConsumeResult<byte[]?, byte[]?>>> ReadAll(
        string bootstrap, IReadOnlyList<string> topics, int partitions, int expected, CancellationToken ct, bool readCommitted = false, TimeSpan? quiet = null)
    {
        var config = KafkaClients.Consumer(bootstrap, "verify-" + Guid.NewGuid().ToString("N"));
        config.IsolationLevel = readCommitted ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(topics.SelectMany(t => Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(t, p, Offset.Beginning))));
        var all = new Dictionary<(string, int), List<ConsumeResult<byte[]?, byte[]?>>>();
        var count = 0;
        var quietFor = quiet ?? TimeSpan.FromSeconds(1);
        var lastSeen = DateTime.UtcNow;
        while (count < expected || DateTime.UtcNow - lastSeen < quietFor)
        {
            ct.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            lastSeen = DateTime.UtcNow;
            var key = (result.Topic, result.Partition.Value);
            if (!all.TryGetValue(key, out var list))
            {
                all[key] = list = [];
            }

            list.Add(result);
            count++;
        }

        return all;
    }

    /// <summary>Asserts the target holds exactly the source's records, partition by partition, in order, byte for byte.</summary>
    public static void AssertSame(
        Dictionary<(string Topic, int Partition), List<ConsumeResult<byte[]?, byte[]?>>> source,
        Dictionary<(string Topic, int Partition), List<ConsumeResult<byte[]?, byte[]?>>> target,
        Func<string, string>? rename = null)
    {
        rename ??= t => t;
        Assert.Equal(source.Values.Sum(l => l.Count), target.Values.Sum(l => l.Count));
        foreach (var ((topic, partition), expected) in source)
        {
            Assert.True(target.TryGetValue((rename(topic), partition), out var actual), $"{rename(topic)}[{partition}] is missing on the target");
            Assert.Equal(expected.Count, actual!.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                var e = expected[i].Message;
                var a = actual[i].Message;
                Assert.Equal(e.Key, a.Key);
                Assert.Equal(e.Value, a.Value);
                Assert.Equal(e.Timestamp.UnixTimestampMs, a.Timestamp.UnixTimestampMs);
                Assert.Equal(e.Timestamp.Type, a.Timestamp.Type);
                Assert.Equal(e.Headers.Select(h => (h.Key, h.GetValueBytes())), a.Headers.Where(h => !h.Key.StartsWith("kafkasync.", StringComparison.Ordinal)).Select(h => (h.Key, h.GetValueBytes())));
            }
        }
    }

    public void Dispose()
    {
        Source.Dispose();
        Target.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
