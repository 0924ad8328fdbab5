using System.Text.Json;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Offsets;

/// <summary>
/// The last group sync's report, one row per group and target partition, which the target agent
/// rewrites atomically beside its queue after each round (so `offsets show` can say when each
/// partition was last synced, from any process).
/// </summary>
public static class GroupSyncFile
{
    /// <summary>The file's name in the queue folder.</summary>
    public const string FileName = "offset-sync.json";

    /// <summary>Replaces the report; readers see the old or the new one, never a mix.</summary>
    public static void Write(string queuePath, IReadOnlyList<ConsumerGroupOffset> rows)
    {
        var path = Path.Combine(queuePath, FileName);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(rows, ConfigFile.Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The last report in <paramref name="queuePath"/>; empty when the agent has not synced groups there.</summary>
    public static IReadOnlyList<ConsumerGroupOffset> Read(string queuePath)
    {
        var path = Path.Combine(queuePath, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<ConsumerGroupOffset>>(File.ReadAllBytes(path), ConfigFile.Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// <paramref name="rows"/> with <see cref="ConsumerGroupOffset.SyncedAt"/> carried over from
    /// <paramref name="previous"/> where this round committed nothing new.
    /// </summary>
    public static IReadOnlyList<ConsumerGroupOffset> CarryOver(IReadOnlyList<ConsumerGroupOffset> rows, IReadOnlyList<ConsumerGroupOffset> previous)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(previous);
        var last = previous.Where(p => p.SyncedAt is not null).GroupBy(p => (p.Group, p.TargetTopic, p.TargetPartition)).ToDictionary(g => g.Key, g => g.Max(p => p.SyncedAt));
        return rows.Select(r => r.SyncedAt is null && last.TryGetValue((r.Group, r.TargetTopic, r.TargetPartition), out var at) ? r with { SyncedAt = at } : r).ToList();
    }
}
