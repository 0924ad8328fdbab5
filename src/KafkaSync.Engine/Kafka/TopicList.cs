using Confluent.Kafka;

namespace KafkaSync.Engine.Kafka;

/// <summary>The topics a cluster has, for completion and troubleshooting; never waits past its timeout.</summary>
public static class TopicList
{
    /// <summary>
    /// The names of the cluster's topics (internal ones, starting with "__", left out), sorted;
    /// an empty list when the cluster does not answer within <paramref name="timeout"/>.
    /// </summary>
    public static IReadOnlyList<string> Get(string bootstrapServers, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(bootstrapServers);
        var config = KafkaClients.Admin(bootstrapServers);
        // A cluster that is down must not hold a prompt: fail fast instead of retrying.
        config.SocketTimeoutMs = (int)Math.Max(100, timeout.TotalMilliseconds);
        config.Set("log_level", "0");
        try
        {
            using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
            return admin.GetMetadata(timeout).Topics
                .Where(t => t.Error.Code == ErrorCode.NoError && !t.Topic.StartsWith("__", StringComparison.Ordinal))
                .Select(t => t.Topic)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (KafkaException)
        {
            return [];
        }
    }
}
