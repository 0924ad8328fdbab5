using System.Text.RegularExpressions;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Offsets;

/// <summary>
/// The groups a sync covers: the named ones plus, when an include pattern is set, the source's
/// groups that match it (ListConsumerGroups). Kept apart from the sync itself because listing
/// groups is the one request the embedded cluster cannot answer (it crashes), so the pattern path
/// is exercised only against real clusters.
/// </summary>
internal static class GroupDiscovery
{
    public static async Task<IReadOnlyList<string>> GroupsAsync(GroupSyncOptions options, CancellationToken ct)
    {
        var exclude = options.Exclude is null ? null : new Regex($"^(?:{options.Exclude})$", RegexOptions.None, TimeSpan.FromSeconds(1));
        var groups = new List<string>(options.Groups);
        if (options.Include is not null)
        {
            var include = new Regex($"^(?:{options.Include})$", RegexOptions.None, TimeSpan.FromSeconds(1));
            KafkaClients.EnsureLoaded();
            using var admin = new AdminClientBuilder(new AdminClientConfig(options.SourceKafka.ToClientSettings("groupSync.sourceKafka"))).SetLogHandler((_, _) => { }).Build();
            var listed = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(10) }).WaitAsync(ct).ConfigureAwait(false);
            groups.AddRange(listed.Valid.Select(g => g.GroupId).Where(g => include.IsMatch(g) && !g.StartsWith("kafkasync-", StringComparison.Ordinal)));
        }

        return groups.Where(g => exclude is null || !exclude.IsMatch(g)).Distinct(StringComparer.Ordinal).ToList();
    }
}
