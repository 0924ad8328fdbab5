using Confluent.Kafka;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Offsets;

/// <summary>
/// Moves consumer groups' positions from the source cluster to the target cluster: reads each
/// group's committed offsets on the source (OffsetFetch), translates them with the offset map
/// and commits them on the target — only where the group has no members on the target, only
/// forward, and only what the map can translate without skipping a copied record.
/// </summary>
public sealed partial class ConsumerGroupSync
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly KafkaConnectionOptions _source;
    private readonly KafkaConnectionOptions _target;
    private readonly Func<OffsetMap> _map;
    private readonly IProgress<string>? _log;

    /// <summary>Creates a sync between two clusters.</summary>
    /// <param name="source">The cluster the groups consumed from (their offsets are read there).</param>
    /// <param name="target">The cluster the records were copied to (translated offsets are committed there).</param>
    /// <param name="map">Gives the current offset map (the agent's live one, or one loaded from its file).</param>
    /// <param name="log">Receives progress messages; may be null.</param>
    public ConsumerGroupSync(KafkaConnectionOptions source, KafkaConnectionOptions target, Func<OffsetMap> map, IProgress<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(map);
        _source = source;
        _target = target;
        _map = map;
        _log = log;
    }

    /// <summary>Syncs (or, with <paramref name="commit"/> false, only shows) every group in <paramref name="groups"/>.</summary>
    /// <returns>One row per group and target partition the map knows.</returns>
    /// <exception cref="KafkaException">A cluster could not be asked.</exception>
    public async Task<IReadOnlyList<ConsumerGroupOffset>> SyncAsync(IEnumerable<string> groups, bool commit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var map = _map();
        var rows = new List<ConsumerGroupOffset>();
        if (map.RangeCount == 0)
        {
            _log?.Report("The offset map is empty: nothing has been copied yet, so no group can be translated.");
            return rows;
        }

        using var sourceAdmin = Admin(_source, "source");
        using var targetAdmin = Admin(_target, "target");
        foreach (var group in groups.Distinct(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            rows.AddRange(await SyncGroupAsync(sourceAdmin, targetAdmin, map, group, commit, ct).ConfigureAwait(false));
        }

        return rows;
    }

    private async Task<IReadOnlyList<ConsumerGroupOffset>> SyncGroupAsync(IAdminClient sourceAdmin, IAdminClient targetAdmin, OffsetMap map, string group, bool commit, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var committedOnSource = await CommittedAsync(sourceAdmin, group, map.SourcePartitions).ConfigureAwait(false);
        var translations = map.Translate(committedOnSource);
        var targets = translations.Select(t => (t.TargetTopic, t.TargetPartition)).ToList();
        var committedOnTarget = await CommittedAsync(targetAdmin, group, targets).ConfigureAwait(false);
        var ends = TargetEnds(targets);
        var active = await ActiveOnTargetAsync(targetAdmin, group).ConfigureAwait(false);

        var wanted = new List<TopicPartitionOffset>();
        var rows = new List<ConsumerGroupOffset>();
        foreach (var t in translations)
        {
            var key = (t.TargetTopic, t.TargetPartition);
            long? current = committedOnTarget.TryGetValue(key, out var c) ? c : null;
            var action = GroupSyncAction.Skipped;
            if (active)
            {
                action = GroupSyncAction.ActiveOnTarget;
            }
            else if (t.TargetOffset is { } to)
            {
                action = current >= to ? GroupSyncAction.Unchanged : commit ? GroupSyncAction.Committed : GroupSyncAction.WouldCommit;
                if (action == GroupSyncAction.Committed)
                {
                    wanted.Add(new TopicPartitionOffset(t.TargetTopic, t.TargetPartition, to));
                }
            }

            rows.Add(Row(group, t, current, ends.GetValueOrDefault(key), action, now, active ? "the group has members on the target; not moved" : t.Note));
        }

        if (wanted.Count == 0)
        {
            return rows;
        }

        var refused = await CommitAsync(targetAdmin, group, wanted).ConfigureAwait(false);
        return rows.Select(r => Settle(r, refused, committedOnTarget, now)).ToList();
    }

    private static ConsumerGroupOffset Row(string group, PartitionTranslation t, long? current, long? end, GroupSyncAction action, DateTimeOffset now, string note)
    {
        var position = action is GroupSyncAction.Committed or GroupSyncAction.WouldCommit ? t.TargetOffset : current;
        return new ConsumerGroupOffset
        {
            Group = group,
            SourceTopic = t.SourceTopic,
            SourcePartition = t.SourcePartition,
            SourceOffset = t.SourceOffset,
            TargetTopic = t.TargetTopic,
            TargetPartition = t.TargetPartition,
            TargetOffset = t.TargetOffset,
            CommittedOffset = action == GroupSyncAction.Committed ? t.TargetOffset : current,
            TargetEnd = end,
            Lag = end is { } e && position is { } p ? Math.Max(0, e - p) : null,
            Status = t.Status,
            Action = action,
            Note = note,
            CheckedAt = now,
            SyncedAt = action == GroupSyncAction.Committed ? now : null,
        };
    }

    /// <summary>Turns rows whose commit the target refused into ActiveOnTarget or Failed.</summary>
    private static ConsumerGroupOffset Settle(ConsumerGroupOffset row, IReadOnlyDictionary<(string, int), Error> refused, Dictionary<(string Topic, int Partition), long> before, DateTimeOffset now)
    {
        if (row.Action != GroupSyncAction.Committed)
        {
            return row;
        }

        if (!refused.TryGetValue((row.TargetTopic, row.TargetPartition), out var error) && !refused.TryGetValue(("", -1), out error))
        {
            return row;
        }

        var live = error.Code is ErrorCode.UnknownMemberId or ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration;
        return row with
        {
            Action = live ? GroupSyncAction.ActiveOnTarget : GroupSyncAction.Failed,
            CommittedOffset = before.TryGetValue((row.TargetTopic, row.TargetPartition), out var kept) ? kept : null,
            Lag = row.TargetEnd is { } end && before.TryGetValue((row.TargetTopic, row.TargetPartition), out var at) ? Math.Max(0, end - at) : null,
            SyncedAt = null,
            Note = live ? $"the target refused the commit because the group has members ({error.Reason}); not moved" : $"the target refused the commit: {error.Reason}",
            CheckedAt = now,
        };
    }
}
