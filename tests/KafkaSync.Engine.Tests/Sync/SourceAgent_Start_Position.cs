using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

/// <summary>
/// Where a source agent starts a partition when its queue holds none of that partition's
/// records: at the group's committed offset, else at StartFrom. No target is needed: the agents
/// queue what they consume while their link waits for a target that never answers.
/// </summary>
public sealed class SourceAgent_Start_Position
{
    private static readonly string[] Topics = ["a", "b"];

    /// <summary>A quiet spell long enough for records read by mistake to show up in RecordsIn.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_new_queue_starts_at_the_groups_committed_offsets()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 2, onTarget: false);
        await harness.ProduceAsync(Topics, 2, 2_000, 0, timeout.Token);
        var link = $"127.0.0.1:{AgentRun.FreePort()}";

        using (var first = AgentRun.StartSource(harness.SourceOptions(link, Topics, "first-queue"), timeout.Token))
        {
            await AgentRun.WaitUntilAsync(() => first.StatusOf().RecordsIn == 2_000, timeout.Token);
            await first.StopAsync();
        }

        await harness.ProduceAsync(Topics, 2, 500, 2_000, timeout.Token);
        // Same group, empty queue: only the group's committed offsets say where to go on.
        using var second = AgentRun.StartSource(harness.SourceOptions(link, Topics, "second-queue"), timeout.Token);
        await AgentRun.WaitUntilAsync(() => second.StatusOf().RecordsIn >= 500, timeout.Token);
        await Task.Delay(Quiet, timeout.Token);
        var status = await second.StopAsync();
        Assert.Equal(500, status.RecordsIn);
    }

    [Fact]
    public async Task A_new_group_with_start_from_latest_skips_the_existing_records()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 2, onTarget: false);
        await harness.ProduceAsync(Topics, 2, 1_000, 0, timeout.Token);
        var consuming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new Progress<string>(line =>
        {
            if (line.StartsWith("Consuming", StringComparison.Ordinal))
            {
                consuming.TrySetResult();
            }
        });
        var options = harness.SourceOptions($"127.0.0.1:{AgentRun.FreePort()}", Topics) with { StartFrom = StartPosition.Latest };
        var agent = new SourceAgent(options, log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var run = agent.RunAsync(stop.Token);

        // The partitions are assigned, at their ends as of then, once "Consuming" is logged:
        // whatever is produced after it must be read.
        await consuming.Task.WaitAsync(timeout.Token);
        Assert.Equal(0, agent.Status.RecordsIn);
        await harness.ProduceAsync(Topics, 2, 300, 1_000, timeout.Token);
        await AgentRun.WaitUntilAsync(() => agent.Status.RecordsIn >= 300, timeout.Token);
        await Task.Delay(Quiet, timeout.Token);
        await stop.CancelAsync();
        var status = await run;
        Assert.Equal(300, status.RecordsIn);
    }

    [Fact]
    public async Task A_committed_offset_beyond_the_end_resets_to_start_from()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 2, onTarget: false);
        await harness.ProduceAsync(Topics, 2, 1_000, 0, timeout.Token);
        var options = harness.SourceOptions($"127.0.0.1:{AgentRun.FreePort()}", Topics);
        // As after the topic was deleted and created again: the group's offsets point past the end.
        using (var committer = new ConsumerBuilder<Null, Null>(KafkaClients.Consumer(harness.Source.BootstrapServers, options.EffectiveGroupId)).Build())
        {
            committer.Commit(Topics.SelectMany(t => new[] { 0, 1 }.Select(p => new TopicPartitionOffset(t, p, 1_000_000))));
        }

        using var source = AgentRun.StartSource(options, timeout.Token);
        await AgentRun.WaitUntilAsync(() => source.StatusOf().RecordsIn >= 1_000, timeout.Token);
        await Task.Delay(Quiet, timeout.Token);
        var status = await source.StopAsync();
        Assert.Equal(1_000, status.RecordsIn);
    }
}
