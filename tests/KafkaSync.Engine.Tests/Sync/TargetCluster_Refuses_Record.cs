using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class TargetCluster_Refuses_Record
{
    /// <summary>
    /// A permanent produce error (here MESSAGE_TOO_LARGE, code 10, answered by the embedded target
    /// to the first Produce request) stops the target agent naming the refused seq, and the
    /// produced cursor does not pass it. Records of later requests may still be delivered (an
    /// idempotent producer is not gapless), so only the cursor is checked, not the count.
    /// </summary>
    [Fact]
    public async Task A_refused_record_stops_the_target_naming_its_seq()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var harness = new SyncHarness();
        harness.CreateTopics(["a"], 1);
        await harness.ProduceAsync(["a"], 1, 100, 0, timeout.Token);
        harness.Target.PushRequestErrors(0, 10);
        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", ["a"]), timeout.Token);
        var error = await Assert.ThrowsAsync<AgentException>(() => target.Run);
        var refused = long.Parse(Assert.Single(Regex.Matches(error.Message, @"^Kafka refused seq (\d+) for a\[0\]: ")).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(target.StatusOf().DoneSeq < refused, $"the produced cursor {target.StatusOf().DoneSeq} passed the refused seq {refused}");
        await source.StopAsync();
    }

    /// <summary>
    /// A record larger than the target producer's message.max.bytes (here lowered to 10,000 in
    /// kafka.settings) is refused before it is sent: the target agent stops naming its seq and the
    /// setting to raise, and the produced cursor stays before it. In exactly-once mode too, where
    /// retrying the batch would be refused the same way forever.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_record_too_large_for_the_target_producer_stops_the_target_naming_its_seq_and_the_fix(bool exactlyOnce)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var harness = new SyncHarness();
        harness.CreateTopics(["a"], 1);
        harness.Target.CreateTopic("__kafkasync_checkpoints", 1);
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(KafkaClients.Producer(harness.Source.BootstrapServers)).Build())
        {
            await producer.ProduceAsync(new TopicPartition("a", 0), new Message<byte[]?, byte[]?> { Key = "small"u8.ToArray(), Value = new byte[100] }, timeout.Token);
            await producer.ProduceAsync(new TopicPartition("a", 0), new Message<byte[]?, byte[]?> { Key = "large"u8.ToArray(), Value = new byte[20_000] }, timeout.Token);
        }

        var options = harness.TargetOptions() with { ExactlyOnce = exactlyOnce };
        options.Kafka.Settings["message.max.bytes"] = "10000";
        var (target, port) = await AgentRun.StartTargetAsync(options, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", ["a"]), timeout.Token);

        var error = await Assert.ThrowsAsync<AgentException>(() => target.Run);
        var refused = long.Parse(Assert.Single(Regex.Matches(error.Message, @"^The target producer refused seq (\d+) for a\[0\] before sending it: ")).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Contains("message.max.bytes", error.Message, StringComparison.Ordinal);
        Assert.True(target.StatusOf().DoneSeq < refused, $"the produced cursor {target.StatusOf().DoneSeq} passed the refused seq {refused}");
        await source.StopAsync();
    }
}
