using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Offsets;

/// <summary>
/// What `kafkasync offsets show|sync`, Get-KafkaSyncOffset and Sync-KafkaSyncConsumerGroup share:
/// a one-shot look at (or sync of) consumer groups, for the target agent a config describes, with
/// the map read from its queue folder (also while the agent runs).
/// </summary>
public static class GroupOffsets
{
    /// <summary>Shows (<paramref name="commit"/> false) or syncs the groups' offsets.</summary>
    /// <param name="target">The target agent's config: its cluster, queue folder and, optionally, groupSync.</param>
    /// <param name="groups">Groups to cover; empty takes groupSync.groups from the config.</param>
    /// <param name="sourceBootstrapServers">The source cluster; null takes groupSync.sourceKafka from the config.</param>
    /// <param name="commit">Commit the translated offsets on the target (false: only show what would be committed).</param>
    /// <param name="log">Receives progress messages; may be null.</param>
    /// <param name="ct">Stops the requests.</param>
    /// <exception cref="OptionsException">The config lacks what is needed; the message names the field and the fix.</exception>
    /// <exception cref="FileNotFoundException">The queue folder has no offset map.</exception>
    /// <exception cref="IOException">A cluster did not answer (the Kafka error is the inner exception); the shells need no Kafka types to catch it.</exception>
    public static async Task<IReadOnlyList<ConsumerGroupOffset>> RunAsync(
        TargetAgentOptions target, IReadOnlyList<string> groups, string? sourceBootstrapServers, bool commit, IProgress<string>? log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(groups);
        target.Kafka.Validate("kafka");
        if (string.IsNullOrWhiteSpace(target.Queue.Path))
        {
            throw new OptionsException("queue.path", "is empty; give the target agent's queue folder (the offset map is kept there).");
        }

        var source = sourceBootstrapServers is { Length: > 0 }
            ? (target.GroupSync?.SourceKafka ?? new KafkaConnectionOptions()) with { BootstrapServers = sourceBootstrapServers }
            : target.GroupSync?.SourceKafka
              ?? throw new OptionsException("groupSync.sourceKafka", "is not set; give the source cluster (--source-bootstrap-servers, -SourceBootstrapServers) or set groupSync.sourceKafka in the config.");
        source.Validate("groupSync.sourceKafka");
        var chosen = groups.Count > 0 ? groups : target.GroupSync?.Groups ?? [];
        if (chosen.Count == 0)
        {
            throw new OptionsException("group", "names no consumer group; give one (--group, -Group) or list them in groupSync.groups.");
        }

        var map = OffsetMap.Load(target.Queue.Path);
        try
        {
            var rows = await new ConsumerGroupSync(source, target.Kafka, () => map, log).SyncAsync(chosen, commit, ct).ConfigureAwait(false);
            return GroupSyncFile.CarryOver(rows, GroupSyncFile.Read(target.Queue.Path));
        }
        catch (Confluent.Kafka.KafkaException ex)
        {
            throw new IOException($"A cluster did not answer: {ex.Error.Reason}. Check groupSync.sourceKafka and kafka (bootstrap servers, credentials).", ex);
        }
    }
}
