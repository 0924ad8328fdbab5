using System.Globalization;
using Confluent.Kafka;

namespace KafkaSync.Engine.Sync.Demo;

/// <summary>The demo's check: every target partition equals its source partition.</summary>
public static partial class SyncDemo
{
    internal static List<string> Compare(string sourceBootstrap, string targetBootstrap, IReadOnlyList<string> topics, int partitions, CancellationToken ct)
    {
        var layout = topics.Select(t => (t, partitions)).ToList();
        var expected = TopicSnapshot.Read(sourceBootstrap, layout, ct);
        var actual = TopicSnapshot.Read(targetBootstrap, layout, ct);
        var differences = new List<string>();
        foreach (var ((topic, partition), records) in expected)
        {
            var copy = actual[(topic, partition)];
            if (copy.Count != records.Count)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{topic}[{partition}]: {records.Count} records in the source, {copy.Count} in the target"));
                continue;
            }

            for (var i = 0; i < records.Count && differences.Count < 10; i++)
            {
                if (!Same(records[i], copy[i]))
                {
                    differences.Add(string.Create(CultureInfo.InvariantCulture, $"{topic}[{partition}] offset {i}: contents differ"));
                    break;
                }
            }
        }

        return differences;
    }

    private static bool Same(Message<byte[]?, byte[]?> a, Message<byte[]?, byte[]?> b) =>
        Bytes(a.Key, b.Key) && Bytes(a.Value, b.Value)
        && a.Timestamp.UnixTimestampMs == b.Timestamp.UnixTimestampMs && a.Timestamp.Type == b.Timestamp.Type
        && a.Headers.Count == b.Headers.Count
        && a.Headers.Zip(b.Headers).All(h => h.First.Key == h.Second.Key && Bytes(h.First.GetValueBytes(), h.Second.GetValueBytes()));

    private static bool Bytes(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
