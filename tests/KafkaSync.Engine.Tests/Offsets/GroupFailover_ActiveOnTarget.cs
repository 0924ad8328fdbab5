using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Tests.Sync;

namespace KafkaSync.Engine.Tests.Offsets;

public sealed class GroupFailover_ActiveOnTarget
{
    [Fact]
    public async Task A_group_with_members_on_the_target_is_never_moved()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var scenario = new FailoverScenario();
        scenario.Harness.Target.CreateTopic(scenario.Topic, scenario.Partitions);
        scenario.ProduceWithGaps(600, perTransaction: 5);
        scenario.ConsumeOnSource(300, timeout.Token);

        var targetOptions = scenario.Harness.TargetOptions();
        var (target, port) = await AgentRun.StartTargetAsync(targetOptions, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(scenario.Harness.SourceOptions($"127.0.0.1:{port}", [scenario.Topic]), timeout.Token);
        await FailoverScenario.WaitForMapAsync(targetOptions.Queue.Path, 600, timeout.Token);

        // A live member of the same group on the target, holding committed offset 1 on partition 0.
        var config = KafkaClients.Consumer(scenario.Harness.Target.BootstrapServers, FailoverScenario.Group);
        // Short, so the broker forgets the member soon after it leaves even if it missed the LeaveGroup.
        config.SessionTimeoutMs = 6_000;
        using var member = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        member.Subscribe(scenario.Topic);
        while (member.Assignment.Count < scenario.Partitions)
        {
            member.Consume(TimeSpan.FromMilliseconds(100));
            timeout.Token.ThrowIfCancellationRequested();
        }

        member.Commit([new TopicPartitionOffset(scenario.Topic, 0, 1)]);
        var sync = new ConsumerGroupSync(scenario.SourceKafka, scenario.TargetKafka, () => OffsetMap.Load(targetOptions.Queue.Path));
        var rows = await sync.SyncAsync([FailoverScenario.Group], commit: true, timeout.Token);
        Assert.All(rows, r => Assert.Equal(GroupSyncAction.ActiveOnTarget, r.Action));
        Assert.Equal(1, await CommittedOnTargetAsync(scenario, 0));
        Assert.Null(await CommittedOnTargetAsync(scenario, 1));

        // (Moving it after the member leaves is not checked here: the embedded cluster refuses a
        // commit from outside any group it has seen members in, even once it is empty.)
        member.Close();
        await source.StopAsync();
        await target.StopAsync();
    }

    private static async Task<long?> CommittedOnTargetAsync(FailoverScenario scenario, int partition)
    {
        using var admin = new AdminClientBuilder(KafkaClients.Admin(scenario.Harness.Target.BootstrapServers)).Build();
        var answer = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(FailoverScenario.Group, [new TopicPartition(scenario.Topic, partition)])]);
        var offset = answer.Single().Partitions.Single().Offset.Value;
        return offset >= 0 ? offset : null;
    }
}
