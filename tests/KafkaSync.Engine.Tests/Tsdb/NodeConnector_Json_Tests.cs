using System.Text.Json;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>A topic of JSON points instead of line protocol.</summary>
public sealed class NodeConnector_Json_Tests(OneInflux server) : IClassFixture<OneInflux>
{
    [Fact]
    public async Task JSON_points_are_written_and_malformed_ones_dead_lettered_with_the_original_record()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("json", partitions: 2);
        var deadLetterFile = Path.Combine(Path.GetTempPath(), "kafkasync-dl-" + Guid.NewGuid().ToString("N") + ".jsonl");
        var options = TestClusters.Options(kafka.BootstrapServers, "json", [server.Node], "jsondb", deadLetterFile);
        options = options with { Connector = options.Connector with { Format = TsdbRecordFormat.Json } };
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().All(n => n.State == TsdbNodeState.Available), TimeSpan.FromSeconds(30), "the connector joined", timeout.Token);

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var feed = new PointFeed(kafka.BootstrapServers, "json", 2, "unused"))
        {
            for (var i = 0; i < 100; i++)
            {
                var points = Enumerable.Range(0, 10).Select(j => new { measurement = "js", tags = new { host = "h" + j }, fields = new { v = i + 0.5 }, time = now - (i * 10) - j });
                await feed.ProduceRawAsync(JsonSerializer.Serialize(points), timeout.Token);
            }

            await feed.ProduceRawAsync("""{"measurement":"js","fields":{}}""", timeout.Token);
        }

        await Poll.UntilAsync(async () => await PointCounter.CountInfluxAsync(server.Node.Url, "jsondb", "js", timeout.Token) == 1_000, TimeSpan.FromSeconds(30), "every JSON point is written", timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().Single().DeadLetters == 1, TimeSpan.FromSeconds(10), "the malformed point is a dead letter", timeout.Token);
        var letter = JsonDocument.Parse(File.ReadAllLines(deadLetterFile).Single()).RootElement;
        Assert.Equal("""{"measurement":"js","fields":{}}""", letter.GetProperty("record").GetString());
        Assert.Contains("invalid JSON point: 'fields'", letter.GetProperty("reason").GetString());
        File.Delete(deadLetterFile);
    }
}
