using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class Agent_Errors
{
    [Fact]
    public void Unknown_config_field_is_named_in_the_error()
    {
        var error = Assert.Throws<OptionsException>(() => ConfigFile.Parse<SourceAgentOptions>("""{ "kafka": { "bootstrapServer": "x:1" } }"""));
        Assert.Equal("kafka.bootstrapServer", error.Field);
    }

    [Fact]
    public void Unknown_enum_value_lists_the_allowed_values()
    {
        var error = Assert.Throws<OptionsException>(() => ConfigFile.Parse<TargetAgentOptions>("""{ "partitionMismatch": "drop" }"""));
        Assert.Equal("partitionMismatch", error.Field);
        Assert.Contains("fail, modulo, key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_and_invalid_settings_name_the_field_and_the_allowed_values()
    {
        var options = ConfigFile.Parse<TargetAgentOptions>("""
            { "kafka": { "bootstrapServers": "localhost:9092" }, "queue": { "path": "q", "capacity": "1MiB" },
              "link": { "listen": "0.0.0.0:7070" }, "linkKeyFile": "k" }
            """);
        var capacity = Assert.Throws<OptionsException>(options.Validate);
        Assert.Equal("queue.capacity", capacity.Field);
        Assert.Contains("128 MiB", capacity.Message, StringComparison.Ordinal);

        var noTopics = Assert.Throws<OptionsException>(() => new SourceAgentOptions
        {
            Kafka = new() { BootstrapServers = "localhost:9092" },
            Queue = new() { Path = "q" },
            Link = new() { Target = "localhost:7070" },
        }.Validate());
        Assert.Equal("topics.names", noTopics.Field);

        var badPort = Assert.Throws<OptionsException>(() => new KafkaConnectionOptions { BootstrapServers = "localhost:99999" }.Validate("kafka"));
        Assert.Equal("kafka.bootstrapServers", badPort.Field);

        var regex = Assert.Throws<OptionsException>(() => new TopicSelection { Include = "orders[" }.Validate("topics"));
        Assert.Equal("topics.include", regex.Field);

        var link = Assert.Throws<OptionsException>(() => (options with { Queue = options.Queue with { Capacity = new ByteSize(1L << 30) }, Link = new() { Listen = "nowhere" } }).Validate());
        Assert.Equal("link.listen", link.Field);
    }

    [Fact]
    public async Task Unreachable_source_cluster_fails_with_a_message_naming_the_servers()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var harness = new SyncHarness();
        var options = harness.SourceOptions("127.0.0.1:9", ["a"]) with
        {
            Kafka = new() { BootstrapServers = "127.0.0.1:1" },
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        var error = await Assert.ThrowsAsync<AgentException>(() => new SourceAgent(options).RunAsync(timeout.Token));
        Assert.Contains("Cannot reach the source cluster at 127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Equal(AgentState.Failed, AgentStatusFile.Read(options.Queue.Path).State);
    }

    [Fact]
    public async Task Unknown_source_topic_fails_naming_the_topic()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var harness = new SyncHarness();
        harness.CreateTopics(["present"], 1);
        var error = await Assert.ThrowsAsync<OptionsException>(() => new SourceAgent(harness.SourceOptions("127.0.0.1:9", ["present", "absent"])).RunAsync(timeout.Token));
        Assert.Equal("topics.names", error.Field);
        Assert.Contains("'absent'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_link_key_stops_the_source_with_an_authentication_error()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var harness = new SyncHarness();
        harness.CreateTopics(["a"], 1);
        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        var options = harness.SourceOptions($"127.0.0.1:{port}", ["a"]) with
        {
            LinkKeyFile = null,
            LinkKey = LinkKey.FromText("a-different-key-of-enough-length"),
        };
        var error = await Assert.ThrowsAsync<AgentException>(() => new SourceAgent(options).RunAsync(timeout.Token));
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.IsType<LinkException>(error.InnerException);
        Assert.Equal(LinkFailure.Authentication, ((LinkException)error.InnerException!).Failure);
        await target.StopAsync();
    }

    [Fact]
    public async Task Target_topic_with_too_few_partitions_stops_the_target_naming_both_counts()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var harness = new SyncHarness();
        harness.Source.CreateTopic("wide", 4);
        harness.Target.CreateTopic("wide", 2);
        await harness.ProduceAsync(["wide"], 4, 100, 0, timeout.Token);
        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", ["wide"]), timeout.Token);
        var error = await Assert.ThrowsAsync<AgentException>(() => target.Run);
        Assert.Contains("'wide' has 2 partition(s)", error.Message, StringComparison.Ordinal);
        await source.StopAsync();
    }

    [Fact]
    public async Task Modulo_placement_keeps_each_source_partition_in_order_on_fewer_target_partitions()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var harness = new SyncHarness();
        harness.Source.CreateTopic("wide", 4);
        harness.Target.CreateTopic("dc1.wide", 2);
        await harness.ProduceAsync(["wide"], 4, 400, 0, timeout.Token);
        var options = harness.TargetOptions() with
        {
            PartitionMismatch = PartitionMismatch.Modulo,
            Topics = new TopicRenaming { Prefix = "dc1." },
            ProvenanceHeaders = true,
            SourceClusterName = "dc1",
        };
        var (target, port) = await AgentRun.StartTargetAsync(options, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", ["wide"]), timeout.Token);
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, ["dc1.wide"], 2, 400, timeout.Token));
        foreach (var ((_, partition), records) in copied)
        {
            var bySource = records.GroupBy(r => System.Text.Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("kafkasync.source.partition")));
            foreach (var group in bySource)
            {
                Assert.Equal(partition, int.Parse(group.Key, System.Globalization.CultureInfo.InvariantCulture) % 2);
                var offsets = group.Select(r => long.Parse(System.Text.Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("kafkasync.source.offset")), System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), offsets);
            }

            Assert.All(records, r => Assert.Equal("dc1", System.Text.Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("kafkasync.source.cluster"))));
        }

        Assert.Equal(400, copied.Values.Sum(r => r.Count));
        await source.StopAsync();
        await target.StopAsync();
    }
}
