using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Sync.Demo;

/// <summary>Reads whole partitions up to their current end, for comparing a source with its copy.</summary>
internal static class TopicSnapshot
{
    public static Dictionary<(string Topic, int Partition), List<Message<byte[]?, byte[]?>>> Read(
        string bootstrap, IEnumerable<(string Topic, int Partitions)> topics, CancellationToken ct)
    {
        var config = KafkaClients.Consumer(bootstrap, "kafkasync-verify-" + Guid.NewGuid().ToString("N"));
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        config.FetchMaxBytes = 64 << 20;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        var result = new Dictionary<(string, int), List<Message<byte[]?, byte[]?>>>();
        var ends = new Dictionary<(string, int), long>();
        var assign = new List<TopicPartitionOffset>();
        foreach (var (topic, partitions) in topics)
        {
            for (var p = 0; p < partitions; p++)
            {
                var tp = new TopicPartition(topic, p);
                var high = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
                result[(topic, p)] = [];
                if (high > 0)
                {
                    ends[(topic, p)] = high;
                    assign.Add(new TopicPartitionOffset(tp, Offset.Beginning));
                }
            }
        }

        consumer.Assign(assign);
        while (ends.Count > 0)
        {
            var r = consumer.Consume(ct);
            var key = (r.Topic, r.Partition.Value);
            result[key].Add(r.Message);
            if (ends.TryGetValue(key, out var end) && r.Offset.Value + 1 >= end)
            {
                ends.Remove(key);
            }
        }

        return result;
    }
}
