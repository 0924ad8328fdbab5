using System.Text.Json;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>Records a node can never take go to the dead letters with the reason; the rest flows.</summary>
public sealed class NodeConnector_DeadLetter_Tests(OneInflux server) : IClassFixture<OneInflux>
{
    [Fact]
    public async Task Bad_line_protocol_and_rejected_points_become_dead_letters_while_every_good_point_is_written()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 4);
        kafka.CreateTopic("points.dead", partitions: 1);
        var deadLetterFile = Path.Combine(Path.GetTempPath(), "kafkasync-dl-" + Guid.NewGuid().ToString("N") + ".jsonl");
        var measurement = "dl" + Guid.NewGuid().ToString("N")[..6];
        var options = TestClusters.Options(kafka.BootstrapServers, "points", [server.Node], "dldb", deadLetterFile);
        options = options with { DeadLetter = options.DeadLetter with { Topic = "points.dead" } };
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "the connector joined", timeout.Token);
        using var feed = new PointFeed(kafka.BootstrapServers, "points", 4, measurement);

        // Good points first, so the field 'v' is a float when the conflicting records arrive.
        await feed.ProduceAsync(2_000, 10, timeout.Token);
        await Poll.UntilAsync(async () => await PointCounter.CountAsync(server.Node, "dldb", measurement, timeout.Token) == 2_000, TimeSpan.FromSeconds(30), "the first points are written", timeout.Token);

        string[] unparsable = ["this is not line protocol", $"{measurement},host=a v= 1", $"{measurement} v=\"unterminated"];
        // Same time range as the good points: InfluxDB keeps field types per shard.
        string[] conflicting = [$"{measurement},host=x v=\"text\" {feed.BaseMs + 1}", $"{measurement},host=y v=true {feed.BaseMs + 2}"];
        foreach (var bad in unparsable.Concat(conflicting))
        {
            await feed.ProduceRawAsync(bad, timeout.Token);
            await feed.ProduceAsync(1_000, 10, timeout.Token);
        }

        await Poll.UntilAsync(async () => await PointCounter.CountAsync(server.Node, "dldb", measurement, timeout.Token) == 7_000, TimeSpan.FromSeconds(30), "every good point is written", timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().Single().Lag == 0, TimeSpan.FromSeconds(10), "every offset is committed, past the dead letters too", timeout.Token);

        var letters = File.ReadAllLines(deadLetterFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(5, letters.Count);
        Assert.Equal(unparsable.Concat(conflicting).Order(), letters.Select(l => l.GetProperty("record").GetString()!).Order());
        foreach (var letter in letters)
        {
            Assert.Equal("n0", letter.GetProperty("node").GetString());
            Assert.Equal("points", letter.GetProperty("topic").GetString());
            Assert.InRange(letter.GetProperty("partition").GetInt32(), 0, 3);
            Assert.True(letter.GetProperty("offset").GetInt64() >= 0);
            var reason = letter.GetProperty("reason").GetString()!;
            var record = letter.GetProperty("record").GetString()!;
            Assert.Contains(conflicting.Contains(record) ? "HTTP 400" : "invalid line protocol", reason);
        }

        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.Contains("field type conflict", StringComparison.Ordinal));
        Assert.Equal(5, cluster.Nodes().Single().DeadLetters);
        Assert.Equal(7_000, cluster.Nodes().Single().PointsWritten);

        using var consumer = new ConsumerBuilder<string, string>(KafkaClients.Consumer(kafka.BootstrapServers, "dl-reader")).Build();
        consumer.Assign(new TopicPartitionOffset("points.dead", 0, Offset.Beginning));
        var fromTopic = new List<string>();
        while (fromTopic.Count < 5)
        {
            var result = consumer.Consume(timeout.Token);
            Assert.Equal("n0", result.Message.Key);
            fromTopic.Add(JsonDocument.Parse(result.Message.Value).RootElement.GetProperty("record").GetString()!);
        }

        Assert.Equal(unparsable.Concat(conflicting).Order(), fromTopic.Order());
        File.Delete(deadLetterFile);
    }

    [Fact]
    public async Task Writes_to_a_missing_retention_policy_are_dead_lettered_once_not_retried_for_ever()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 2);
        var deadLetterFile = Path.Combine(Path.GetTempPath(), "kafkasync-dl-" + Guid.NewGuid().ToString("N") + ".jsonl");
        var options = TestClusters.Options(kafka.BootstrapServers, "points", [server.Node], "rpdb", deadLetterFile);
        options = options with { Influx = options.Influx with { RetentionPolicy = "no_such_policy" } };
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "the connector joined", timeout.Token);
        using (var feed = new PointFeed(kafka.BootstrapServers, "points", 2, "rp"))
        {
            await feed.ProduceAsync(40, 10, timeout.Token);
        }

        await Poll.UntilAsync(() => File.Exists(deadLetterFile) && File.ReadAllLines(deadLetterFile).Length == 4, TimeSpan.FromSeconds(30), "all 4 records are dead letters", timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().Single().Lag == 0, TimeSpan.FromSeconds(10), "the offsets moved past them", timeout.Token);
        Assert.All(File.ReadAllLines(deadLetterFile), l => Assert.Contains("retention policy not found", l));
        Assert.Equal(TsdbNodeState.Available, cluster.Nodes().Single().State);
        Assert.Equal(4, cluster.Nodes().Single().DeadLetters);
        File.Delete(deadLetterFile);
    }

    [Fact]
    public async Task A_dead_letter_that_cannot_be_kept_on_a_full_disk_holds_the_record_uncommitted_and_says_why()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 1);

        // /dev/full answers every write with ENOSPC, as a full disk does.
        var options = TestClusters.Options(kafka.BootstrapServers, "points", [server.Node], "fulldb", "/dev/full");
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "the connector joined", timeout.Token);
        using var feed = new PointFeed(kafka.BootstrapServers, "points", 1, "full");
        await feed.ProduceAsync(100, 10, timeout.Token);
        await feed.ProduceRawAsync("not line protocol", timeout.Token);
        await feed.ProduceAsync(100, 10, timeout.Token);

        await Poll.UntilAsync(() => cluster.Nodes().Single().LastError?.Contains("cannot keep a dead letter", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(20), "the failure is reported", timeout.Token);
        Assert.Contains("No space left", cluster.Nodes().Single().LastError);
        Assert.NotEqual(TsdbNodeState.Available, cluster.Nodes().Single().State);

        // Retries come and go; the bad record (offset 10) is never committed past.
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (DateTime.UtcNow < deadline)
        {
            Assert.InRange(cluster.Nodes().Single().Offsets.GetValueOrDefault(0), 0, 10);
            await Task.Delay(50, timeout.Token);
        }

        Assert.Equal(0, cluster.Nodes().Single().DeadLetters);
    }
}
