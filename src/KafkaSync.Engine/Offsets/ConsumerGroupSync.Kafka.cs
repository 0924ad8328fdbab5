using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Offsets;

/// <summary>The Kafka requests of a group sync.</summary>
public sealed partial class ConsumerGroupSync
{
    private static IAdminClient Admin(KafkaConnectionOptions cluster, string name)
    {
        var config = new AdminClientConfig(cluster.ToClientSettings(name));
        KafkaClients.EnsureLoaded();
        return new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>The group's committed offsets (OffsetFetch) on the given partitions; partitions without one are left out.</summary>
    private static async Task<Dictionary<(string Topic, int Partition), long>> CommittedAsync(IAdminClient admin, string group, IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        var result = new Dictionary<(string, int), long>();
        if (partitions.Count == 0)
        {
            return result;
        }

        // Partitions are named: asking for "all" is answered with nothing by some brokers (the embedded one among them).
        var request = new ConsumerGroupTopicPartitions(group, partitions.Select(p => new TopicPartition(p.Topic, p.Partition)).ToList());
        var answer = await admin.ListConsumerGroupOffsetsAsync([request], new ListConsumerGroupOffsetsOptions { RequestTimeout = RequestTimeout }).ConfigureAwait(false);
        foreach (var p in answer.SelectMany(g => g.Partitions))
        {
            if (!p.Error.IsError && p.Offset.Value >= 0)
            {
                result[(p.Topic, p.Partition.Value)] = p.Offset.Value;
            }
        }

        return result;
    }

    /// <summary>
    /// True when the group has members on the target (DescribeConsumerGroups). A cluster that cannot
    /// describe groups (the embedded one) is answered "no"; the commit itself is then the guard, as
    /// a broker refuses a commit from outside an active group (UNKNOWN_MEMBER_ID).
    /// </summary>
    private async Task<bool> ActiveOnTargetAsync(IAdminClient admin, string group)
    {
        try
        {
            var answer = await admin.DescribeConsumerGroupsAsync([group], new DescribeConsumerGroupsOptions { RequestTimeout = RequestTimeout }).ConfigureAwait(false);
            return answer.ConsumerGroupDescriptions.Any(d => d.Members.Count > 0);
        }
        catch (DescribeConsumerGroupsException ex)
        {
            var description = ex.Results.ConsumerGroupDescriptions.FirstOrDefault();
            if (description is not null && description.Error.Code == ErrorCode.NoError)
            {
                return description.Members.Count > 0;
            }

            _log?.Report($"Target cannot describe group '{group}' ({description?.Error.Reason ?? ex.Message}); relying on the broker to refuse a commit while the group has members.");
            return false;
        }
    }

    /// <summary>Commits on the target (AlterConsumerGroupOffsets); returns the refused partitions with their errors.</summary>
    private static async Task<IReadOnlyDictionary<(string, int), Error>> CommitAsync(IAdminClient admin, string group, List<TopicPartitionOffset> offsets)
    {
        var refused = new Dictionary<(string, int), Error>();
        try
        {
            await admin.AlterConsumerGroupOffsetsAsync(
                [new ConsumerGroupTopicPartitionOffsets(group, offsets)],
                new AlterConsumerGroupOffsetsOptions { RequestTimeout = RequestTimeout }).ConfigureAwait(false);
        }
        catch (AlterConsumerGroupOffsetsException ex)
        {
            foreach (var result in ex.Results)
            {
                foreach (var p in result.Partitions.Where(p => p.Error.IsError))
                {
                    refused[(p.Topic, p.Partition.Value)] = p.Error;
                }

                if (result.Error.IsError)
                {
                    refused[("", -1)] = result.Error;
                }
            }
        }

        return refused;
    }

    /// <summary>The high watermark of each target partition (for the lag); absent where the cluster did not answer.</summary>
    private Dictionary<(string Topic, int Partition), long> TargetEnds(IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        var ends = new Dictionary<(string, int), long>();
        var config = new ConsumerConfig(_target.ToClientSettings("target")) { GroupId = "kafkasync-offsets-watermarks", EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).SetLogHandler((_, _) => { }).Build();
        foreach (var (topic, partition) in partitions)
        {
            try
            {
                ends[(topic, partition)] = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), RequestTimeout).High.Value;
            }
            catch (KafkaException ex)
            {
                _log?.Report($"No end offset for {topic}[{partition}] on the target: {ex.Error.Reason}.");
            }
        }

        return ends;
    }
}
