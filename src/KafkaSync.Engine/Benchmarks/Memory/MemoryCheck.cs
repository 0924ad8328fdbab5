using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Benchmarks.Memory;

/// <summary>
/// Whether every record reached the target once: per partition, the target's end offset equals the
/// source's (the agents keep the partition, and a record lost or produced twice would shift it),
/// and the newest records the target still holds carry, as key, their own offset (the producer's
/// per-partition index). The embedded cluster keeps only the newest ≈5 MiB of each partition,
/// so older records are judged by the offsets alone.
/// </summary>
internal static class MemoryCheck
{
    private const int TailRecords = 64;

    /// <summary>Checks <paramref name="expected"/> records (the newest of each partition too if <paramref name="tail"/>); returns a one-line verdict and whether it passed.</summary>
    public static (bool Passed, string Verdict) Run(string sourceBootstrap, string targetBootstrap, string topic, int partitions, long expected, bool tail, CancellationToken ct)
    {
        var source = EndOffsets(sourceBootstrap, topic, partitions);
        var target = EndOffsets(targetBootstrap, topic, partitions);
        var problems = new List<string>();
        if (source.Sum() != expected)
        {
            problems.Add($"the source cluster holds {source.Sum():N0} records, the benchmark produced {expected:N0}");
        }

        for (var p = 0; p < partitions; p++)
        {
            if (target[p] != source[p])
            {
                problems.Add($"partition {p}: {target[p]:N0} on the target, {source[p]:N0} on the source ({(target[p] < source[p] ? "lost" : "doubled")})");
            }
        }

        var newest = tail ? Tail(targetBootstrap, topic, partitions, target, ct) : (Checked: 0, Problems: []);
        problems.AddRange(newest.Problems);
        var verdict = problems.Count == 0
            ? $"check: {expected:N0} records produced, {target.Sum():N0} on the target, every partition's end offset equal to the source's{(tail ? $", and its newest {newest.Checked:N0} records in place" : "")}: nothing lost or doubled"
            : "check FAILED: " + string.Join("; ", problems.Take(5));
        return (problems.Count == 0, verdict);
    }

    private static long[] EndOffsets(string bootstrap, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(KafkaClients.Consumer(bootstrap, "bench-memory-check")).SetLogHandler((_, _) => { }).Build();
        return Enumerable.Range(0, partitions)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(20)).High.Value)
            .ToArray();
    }

    private static (int Checked, List<string> Problems) Tail(string bootstrap, string topic, int partitions, long[] ends, CancellationToken ct)
    {
        var problems = new List<string>();
        var config = KafkaClients.Consumer(bootstrap, "bench-memory-check");
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<byte[]?, Ignore>(config).SetLogHandler((_, _) => { }).Build();
        var starts = new long[partitions];
        for (var p = 0; p < partitions; p++)
        {
            var low = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(20)).Low.Value;
            starts[p] = Math.Max(low, ends[p] - TailRecords);
        }

        consumer.Assign(Enumerable.Range(0, partitions).Where(p => starts[p] < ends[p]).Select(p => new TopicPartitionOffset(topic, p, starts[p])));
        var open = Enumerable.Range(0, partitions).Count(p => starts[p] < ends[p]);
        var seen = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (open > 0 && DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                open--;
                continue;
            }

            seen++;
            var key = result.Message.Key is { } k ? Encoding.ASCII.GetString(k) : "";
            var offset = result.Offset.Value;
            if (key != offset.ToString(CultureInfo.InvariantCulture) && problems.Count < 5)
            {
                problems.Add($"partition {result.Partition.Value} offset {offset} holds record {key}");
            }
        }

        if (open > 0)
        {
            problems.Add($"{open} partition(s) of the target could not be read to their end");
        }

        return (seen, problems);
    }
}
