using KafkaSync.Engine.Tsdb;
using KafkaSync.Engine.Tsdb.Balancing;

namespace KafkaSync.Engine.Tests.Tsdb.Balancing;

/// <summary>The choice rule alone, on node lists as the monitor publishes them.</summary>
public sealed class ReadBalancerChoiceTests
{
    private static readonly TsdbClusterOptions Options = new()
    {
        Nodes = [new TsdbNodeOptions { Name = "a", Url = "http://127.0.0.1:1" }],
        Kafka = new TsdbKafkaOptions { BootstrapServers = "k:1", Topic = "t" },
        Balancer = new TsdbBalancerOptions { Listen = "127.0.0.1:0", WriteWeight = 1, ReadWeight = 1 },
    };

    private static TsdbNodeStatus Node(string name, int writers, double weight = 1, TsdbNodeState state = TsdbNodeState.Available) =>
        new() { Name = name, Url = "http://127.0.0.1:1/", Writers = writers, Weight = weight, State = state };

    [Fact]
    public async Task The_node_busy_with_writes_gets_no_queries_while_an_idle_one_is_available()
    {
        await using var balancer = new ReadBalancer(Options, "127.0.0.1:0", () => [], new ReadCounters());
        var nodes = new[] { Node("busy", writers: 4), Node("idle", writers: 0), Node("half", writers: 2) };
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("idle", balancer.Choose(nodes)!.Name);
        }
    }

    [Fact]
    public async Task A_heavier_node_carries_proportionally_more_load_before_it_loses_the_choice()
    {
        var readers = new ReadCounters();
        await using var balancer = new ReadBalancer(Options, "127.0.0.1:0", () => [], readers);
        var nodes = new[] { Node("big", writers: 2, weight: 4), Node("small", writers: 2, weight: 1) };

        // small: 2 / 1 = 2. big: (2 + readers) / 4 stays below 2 up to 5 readers.
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("big", balancer.Choose(nodes)!.Name);
            readers.Enter("big");
        }

        readers.Enter("big");
        Assert.Equal("small", balancer.Choose(nodes)!.Name);
    }

    [Fact]
    public async Task Unavailable_and_catching_up_nodes_are_never_chosen()
    {
        await using var balancer = new ReadBalancer(Options, "127.0.0.1:0", () => [], new ReadCounters());
        var nodes = new[] { Node("down", 0, state: TsdbNodeState.Unavailable), Node("behind", 0, state: TsdbNodeState.CatchingUp), Node("up", 9) };
        Assert.Equal("up", balancer.Choose(nodes)!.Name);
        Assert.Null(balancer.Choose(nodes.Take(2).ToList()));
    }
}
