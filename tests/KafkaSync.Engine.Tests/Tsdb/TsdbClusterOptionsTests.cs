using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb;

public sealed class TsdbClusterOptionsTests
{
    private static readonly TsdbClusterOptions Valid = new()
    {
        Nodes = [new TsdbNodeOptions { Name = "a", Url = "http://127.0.0.1:8086" }],
        Kafka = new TsdbKafkaOptions { BootstrapServers = "k:9092", Topic = "metrics" },
    };

    public static TheoryData<string, string> Broken => new()
    {
        { """{ "nodes": [] }""", "nodes" },
        { """{ "nodes": [ { "name": "a b", "url": "http://x:1" } ] }""", "nodes[0].name" },
        { """{ "nodes": [ { "name": "a", "url": "ftp://x" } ] }""", "nodes[0].url" },
        { """{ "nodes": [ { "name": "a", "url": "http://x:1" }, { "name": "a", "url": "http://y:1" } ] }""", "nodes[1].name" },
        { """{ "nodes": [ { "name": "a", "url": "http://x:1", "weight": 0 } ] }""", "nodes[0].weight" },
        { """{ "nodes": [ { "name": "a", "url": "http://x:1" } ], "kafka": { "topic": "t" } }""", "kafka.bootstrapServers" },
        { """{ "nodes": [ { "name": "a", "url": "http://x:1" } ], "kafka": { "bootstrapServers": "k:1", "topic": "t" }, "influx": { "precision": "us" } }""", "influx.precision" },
        { """{ "nodes": [ { "name": "a", "url": "http://x:1" } ], "kafka": { "bootstrapServers": "k:1", "topic": "t" }, "connector": { "writers": 0 } }""", "connector.writers" },
        { """{ "nodes": [ { "name": "a", "url": "http://x:1" } ], "kafka": { "bootstrapServers": "k:1", "topic": "t" }, "monitor": { "checkInterval": "1ms" } }""", "monitor.checkInterval" },
        { """{ "nodes": [ { "name": "a", "url": "http://x:1" } ], "kafka": { "bootstrapServers": "k:1", "topic": "t" }, "balancer": { "listen": "nowhere" } }""", "balancer.listen" },
        { """{ "nodes": [ { "name": "a", "url": "http://x:1" } ], "kafka": { "bootstrapServers": "k:1", "topic": "t" }, "conector": { } }""", "conector" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_wrong_setting_is_reported_by_its_field_name(string json, string field)
    {
        var ex = Assert.Throws<OptionsException>(() => ConfigFile.Parse<TsdbClusterOptions>(json).Validate());
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Each_node_gets_its_own_consumer_group_named_after_cluster_and_node()
    {
        var options = Valid with { Name = "eu" };
        Assert.Equal("kafkasync.tsdb.eu.a", options.ConsumerGroup("a"));
        Assert.Equal("x-eu.b", (options with { Kafka = options.Kafka with { GroupPrefix = "x-" } }).ConsumerGroup("b"));
    }

    [Fact]
    public void The_shipped_example_configs_are_valid()
    {
        var examples = Path.Combine(RepoRoot(), "module", "examples");
        var files = Directory.GetFiles(examples, "tsdb*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            ConfigFile.Load<TsdbClusterOptions>(file).Validate();
        }
    }

    [Fact]
    public void Pressure_weighs_writers_and_readers_and_divides_by_the_node_weight()
    {
        Assert.Equal(5.0, Pressure.Compute(writeWeight: 1, readWeight: 1, writers: 2, readers: 3, nodeWeight: 1));
        Assert.Equal(2.5, Pressure.Compute(1, 1, 2, 3, nodeWeight: 2));
        Assert.Equal(7.0, Pressure.Compute(writeWeight: 0.5, readWeight: 2, writers: 2, readers: 3, nodeWeight: 1));
    }

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "KafkaSync.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        }

        return dir;
    }
}
