using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Tests.Kafka;

public sealed class EmbeddedKafkaTests
{
    [Fact]
    public async Task Records_produced_with_Confluent_are_read_back_by_kcat()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cluster = new EmbeddedKafka(brokers: 3);
        cluster.CreateTopic("orders", partitions: 3);

        using (var producer = new ProducerBuilder<string, string>(KafkaClients.Producer(cluster.BootstrapServers)).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                var message = new Message<string, string>
                {
                    Key = $"k{i}",
                    Value = $"v{i}",
                    Headers = [new Header("h", Encoding.UTF8.GetBytes($"x{i}"))],
                };
                await producer.ProduceAsync(new TopicPartition("orders", i % 3), message, timeout.Token);
            }
        }

        var output = await Kcat.RunAsync($"-b {cluster.BootstrapServers} -C -t orders -o beginning -e -q -f \"%p|%k|%s|%h\\n\"", null, timeout.Token);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.Equal(30, lines.Count);
        for (var i = 0; i < 30; i++)
        {
            Assert.Contains($"{i % 3}|k{i}|v{i}|h=x{i}", lines);
        }
    }

    [Fact]
    public async Task Records_produced_by_kcat_are_consumed_with_Confluent_and_topics_keep_their_partition_count()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cluster = new EmbeddedKafka(brokers: 1);
        cluster.CreateTopic("events", partitions: 5);
        await Kcat.RunAsync($"-b {cluster.BootstrapServers} -P -t events -p 4 -K :", "a:1\nb:2\n", timeout.Token);

        using var admin = new AdminClientBuilder(KafkaClients.Admin(cluster.BootstrapServers)).Build();
        var metadata = admin.GetMetadata("events", TimeSpan.FromSeconds(10));
        Assert.Equal(5, metadata.Topics.Single().Partitions.Count);

        using var consumer = new ConsumerBuilder<string, string>(KafkaClients.Consumer(cluster.BootstrapServers, "g1")).Build();
        consumer.Assign(new TopicPartitionOffset("events", 4, Offset.Beginning));
        var seen = new List<string>();
        while (seen.Count < 2)
        {
            var result = consumer.Consume(timeout.Token);
            seen.Add($"{result.Message.Key}={result.Message.Value}");
        }

        Assert.Equal(["a=1", "b=2"], seen);
    }

    [Fact]
    public async Task Produce_waits_while_every_broker_is_down_and_succeeds_when_they_return()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cluster = new EmbeddedKafka(brokers: 2);
        cluster.CreateTopic("t", partitions: 1);
        using var producer = new ProducerBuilder<Null, string>(KafkaClients.Producer(cluster.BootstrapServers)).Build();
        await producer.ProduceAsync("t", new Message<Null, string> { Value = "before" }, timeout.Token);

        cluster.SetAllBrokersDown();
        var pending = producer.ProduceAsync("t", new Message<Null, string> { Value = "during" }, timeout.Token);
        var early = await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(1), timeout.Token));
        Assert.NotSame(pending, early);
        cluster.SetAllBrokersUp();

        var delivered = await pending;
        Assert.Equal(1, delivered.Offset.Value);
    }

    [Fact]
    public void Fault_hooks_refuse_an_unknown_broker_with_a_clear_message()
    {
        using var cluster = new EmbeddedKafka(brokers: 1);
        var error = Assert.Throws<InvalidOperationException>(() => cluster.SetBrokerDown(7));
        Assert.Contains("broker 7", error.Message, StringComparison.Ordinal);
    }
}
