using System.Management.Automation.Runspaces;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.PowerShell.Kafka;

/// <summary>
/// The embedded clusters each session (runspace) started and has not stopped yet, for
/// Get-KafkaSyncEmbeddedCluster: a cluster lives in memory, so losing its object loses it.
/// </summary>
internal static class EmbeddedClusters
{
    private static readonly List<(Guid? Session, EmbeddedKafka Cluster)> Started = [];

    public static void Add(EmbeddedKafka cluster)
    {
        lock (Started)
        {
            Started.Add((Session, cluster));
        }
    }

    public static void Remove(EmbeddedKafka cluster)
    {
        lock (Started)
        {
            Started.RemoveAll(s => ReferenceEquals(s.Cluster, cluster));
        }
    }

    /// <summary>This session's clusters, oldest first.</summary>
    public static IReadOnlyList<EmbeddedKafka> OfThisSession()
    {
        lock (Started)
        {
            var session = Session;
            return Started.Where(s => s.Session == session).Select(s => s.Cluster).ToList();
        }
    }

    private static Guid? Session => Runspace.DefaultRunspace?.InstanceId;
}
