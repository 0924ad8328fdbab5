using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Tests.Sync;

/// <summary>
/// Kafka tells null from empty for keys, values (a null value is a tombstone for compaction) and
/// header values; the source agent reads records straight from librdkafka's buffers, so each
/// kind is checked across the whole pipeline.
/// </summary>
public sealed class Records_NullsAndEmpties_ArriveAsSent
{
    [Fact]
    public async Task Null_and_empty_keys_values_and_headers_and_a_large_value_reach_the_target_unchanged()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var harness = new SyncHarness();
        string[] topics = ["compacted"];
        harness.CreateTopics(topics, partitions: 2);
        var large = new byte[400_000];
        new Random(3).NextBytes(large);
        Message<byte[]?, byte[]?>[] sent =
        [
            new() { Key = "user-1"u8.ToArray(), Value = "{\"name\":\"a\"}"u8.ToArray() },
            new() { Key = "user-1"u8.ToArray(), Value = null },
            new() { Key = null, Value = null },
            new() { Key = [], Value = [] },
            new() { Key = null, Value = large, Headers = [new Header("none", null), new Header("empty", []), new Header("ünï-kéy", "v"u8.ToArray())] },
            new() { Key = "user-2"u8.ToArray(), Value = "x"u8.ToArray(), Headers = [new Header("dup", "1"u8.ToArray()), new Header("dup", "2"u8.ToArray())] },
        ];
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(KafkaClients.Producer(harness.Source.BootstrapServers)).Build())
        {
            for (var i = 0; i < sent.Length; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topics[0], i % 2), sent[i], timeout.Token);
            }
        }

        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", topics), timeout.Token);

        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, topics, 2, sent.Length, timeout.Token));
        await source.StopAsync();
        await target.StopAsync();

        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, topics, 2, sent.Length, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        var all = copied.Values.SelectMany(r => r).Select(r => r.Message).ToList();
        Assert.Equal(2, all.Count(m => m.Value is null));
        Assert.Equal(2, all.Count(m => m.Key is null));
        Assert.Single(all, m => m.Key is { Length: 0 } && m.Value is { Length: 0 });
        var headers = all.Single(m => m.Value?.Length == large.Length).Headers;
        Assert.Null(headers.Single(h => h.Key == "none").GetValueBytes());
        Assert.Empty(headers.Single(h => h.Key == "empty").GetValueBytes());
        Assert.Equal("v", Encoding.UTF8.GetString(headers.Single(h => h.Key == "ünï-kéy").GetValueBytes()));
        Assert.Equal(["1", "2"], all.Single(m => m.Value is [(byte)'x']).Headers.Where(h => h.Key == "dup").Select(h => Encoding.UTF8.GetString(h.GetValueBytes())));
    }
}
