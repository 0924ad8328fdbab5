using Confluent.Kafka;
using KafkaSync.Engine.Native;

namespace KafkaSync.Engine.Kafka;

/// <summary>
/// The one place Confluent.Kafka clients get their configuration. Binds the system librdkafka
/// first (Confluent.Kafka's package ships no native library here), then returns configs with
/// the defaults our agents rely on; callers add or override settings on the returned object.
/// </summary>
public static class KafkaClients
{
    /// <summary>Binds the native library; every builder of a Kafka client calls this first.</summary>
    public static void EnsureLoaded() => NativeLibraries.EnsureRegistered();

    /// <summary>A producer config that batches (linger 50 ms, 1 MiB batches), as the mock cluster needs for fast reads.</summary>
    public static ProducerConfig Producer(string bootstrapServers)
    {
        EnsureLoaded();
        return new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            LingerMs = 50,
            BatchSize = 1 << 20,
            Acks = Acks.All,
        };
    }

    /// <summary>A consumer config that starts at the earliest offset and never commits on its own.</summary>
    public static ConsumerConfig Consumer(string bootstrapServers, string groupId)
    {
        EnsureLoaded();
        return new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
        };
    }

    /// <summary>An admin client config.</summary>
    public static AdminClientConfig Admin(string bootstrapServers)
    {
        EnsureLoaded();
        return new AdminClientConfig { BootstrapServers = bootstrapServers };
    }
}
