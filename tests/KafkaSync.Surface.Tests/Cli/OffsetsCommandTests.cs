using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Surface.Tests.Cli;

/// <summary>`kafkasync offsets show|sync` run as processes against two embedded clusters and running agents.</summary>
public sealed class OffsetsCommandTests : IDisposable
{
    private const string Topic = "orders";
    private const string Group = "billing";
    private readonly string _folder = Directory.CreateTempSubdirectory("ks-cli-offsets-").FullName;

    [Fact]
    public async Task Sync_with_what_if_shows_the_translation_then_sync_commits_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var source = new EmbeddedKafka(1);
        using var target = new EmbeddedKafka(1);
        source.CreateTopic(Topic, 2);
        target.CreateTopic(Topic, 2);
        ProduceInTransactions(source.BootstrapServers, 300);
        var consumed = ConsumeAndCommit(source.BootstrapServers, 100, timeout.Token);

        var keyFile = Path.Combine(_folder, "link.key");
        await File.WriteAllTextAsync(keyFile, "a-test-key-of-enough-length-1234\n", timeout.Token);
        var targetOptions = new TargetAgentOptions
        {
            Kafka = new KafkaConnectionOptions { BootstrapServers = target.BootstrapServers },
            Queue = new AgentQueueOptions { Path = Path.Combine(_folder, "target-queue") },
            Link = new LinkReceiverOptions { Listen = "127.0.0.1:0" },
            LinkKeyFile = keyFile,
            CreateTopics = false,
            GroupSync = new GroupSyncOptions { SourceKafka = new KafkaConnectionOptions { BootstrapServers = source.BootstrapServers }, Groups = [Group], Interval = TimeSpan.FromHours(1) },
        };
        var config = Path.Combine(_folder, "target.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(targetOptions, ConfigFile.Json), timeout.Token);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var targetAgent = new TargetAgent(targetOptions);
        var targetRun = targetAgent.RunAsync(stop.Token);
        var port = (await targetAgent.Listening.WaitAsync(timeout.Token)).Port;
        var sourceRun = new SourceAgent(new SourceAgentOptions
        {
            Kafka = new KafkaConnectionOptions { BootstrapServers = source.BootstrapServers },
            Topics = new TopicSelection { Names = [Topic] },
            Queue = new AgentQueueOptions { Path = Path.Combine(_folder, "source-queue") },
            Link = new LinkSenderOptions { Target = $"127.0.0.1:{port}" },
            LinkKeyFile = keyFile,
        }).RunAsync(stop.Token);
        while (!File.Exists(Path.Combine(targetOptions.Queue.Path, OffsetMap.FileName)) || OffsetMap.Load(targetOptions.Queue.Path).RecordCount < 300)
        {
            await Task.Delay(50, timeout.Token);
        }

        var whatIf = await HostProcess.RunAsync(timeout.Token, "offsets", "sync", "--config", config, "--group", Group, "--what-if", "--json");
        Assert.True(whatIf.ExitCode == 0, whatIf.Err);
        var planned = Rows(whatIf.Out);
        Assert.Equal(2, planned.Count);
        Assert.All(planned, r => Assert.Equal("wouldCommit", r.GetProperty("action").GetString()));
        // Transaction markers make the source offsets run ahead of the target's.
        Assert.All(planned, r => Assert.True(r.GetProperty("targetOffset").GetInt64() < r.GetProperty("sourceOffset").GetInt64()));
        Assert.Equal(200, planned.Sum(r => r.GetProperty("lag").GetInt64()));

        var synced = await HostProcess.RunAsync(timeout.Token, "offsets", "sync", "--config", config, "--json");
        Assert.True(synced.ExitCode == 0, synced.Err);
        Assert.All(Rows(synced.Out), r => Assert.Equal("committed", r.GetProperty("action").GetString()));

        var shown = await HostProcess.RunAsync(timeout.Token, "offsets", "show", "--config", config);
        Assert.True(shown.ExitCode == 0, shown.Err);
        Assert.Contains("Unchanged", shown.Out, StringComparison.Ordinal);
        Assert.Contains($"{Topic}[0]", shown.Out, StringComparison.Ordinal);
        Assert.Equal(100, consumed);
        await stop.CancelAsync();
        await Task.WhenAll(targetRun, sourceRun);
    }

    [Fact]
    public async Task Sync_without_a_group_exits_2_naming_the_setting()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var config = Path.Combine(_folder, "target.json");
        await File.WriteAllTextAsync(config, """{ "kafka": { "bootstrapServers": "127.0.0.1:9" }, "queue": { "path": "q" }, "link": { "listen": "127.0.0.1:0" } }""", timeout.Token);
        var result = await HostProcess.RunAsync(timeout.Token, "offsets", "sync", "--config", config, "--source-bootstrap-servers", "127.0.0.1:9");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'group'", result.Err, StringComparison.Ordinal);
    }

    private static List<JsonElement> Rows(string json) => JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();

    private static void ProduceInTransactions(string bootstrap, int count)
    {
        var config = KafkaClients.Producer(bootstrap);
        config.TransactionalId = "cli-test-app";
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(config).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        for (var i = 0; i < count; i += 5)
        {
            producer.BeginTransaction();
            for (var j = i; j < i + 5; j++)
            {
                producer.Produce(new TopicPartition(Topic, j % 2), new Message<byte[]?, byte[]?> { Value = Encoding.UTF8.GetBytes($"r-{j}") });
            }

            producer.CommitTransaction(TimeSpan.FromSeconds(30));
        }
    }

    private static int ConsumeAndCommit(string bootstrap, int count, CancellationToken ct)
    {
        // Both partitions are read alike (assigned, not subscribed), so both get a committed offset.
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClients.Consumer(bootstrap, Group)).Build();
        consumer.Assign([new TopicPartitionOffset(Topic, 0, Offset.Beginning), new TopicPartitionOffset(Topic, 1, Offset.Beginning)]);
        var next = new Dictionary<int, long>();
        var read = new Dictionary<int, int>();
        while (read.Values.Sum() < count)
        {
            var result = consumer.Consume(ct);
            if (read.GetValueOrDefault(result.Partition.Value) >= count / 2)
            {
                continue;
            }

            read[result.Partition.Value] = read.GetValueOrDefault(result.Partition.Value) + 1;
            next[result.Partition.Value] = result.Offset.Value + 1;
        }

        consumer.Commit(next.Select(n => new TopicPartitionOffset(Topic, n.Key, n.Value)));
        return read.Values.Sum();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
