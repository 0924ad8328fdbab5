using System.Globalization;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>
/// The target site's observer: reads a run's topics in the target cluster from the start, reports
/// the count every 100 ms (the benchmark samples CPU and link counters at those moments) and, at
/// the end, how stale records were on arrival: consume time minus produce time, both from this
/// machine's clock, for records produced at or after a given time (the warm-up is left out).
/// </summary>
internal static class WanWatch
{
    /// <summary>Counts the run's records in <paramref name="bootstrap"/> until <paramref name="count"/>; returns the closing line.</summary>
    /// <param name="bootstrap">The target cluster.</param>
    /// <param name="prefix">The run's topic prefix.</param>
    /// <param name="count">Records to wait for.</param>
    /// <param name="fromUnixMs">Latencies only of records produced from this time on (long.MaxValue: none).</param>
    /// <param name="output">Where the progress lines go.</param>
    /// <param name="ct">Stops the watch.</param>
    public static string Run(string bootstrap, string prefix, int count, long fromUnixMs, TextWriter output, CancellationToken ct)
    {
        var config = KafkaClients.Consumer(bootstrap, "bench-wan-watch-" + prefix);
        // Polled often, so the observer itself adds little to the staleness it measures.
        config.FetchWaitMaxMs = 5;
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(WanSite.Topics(prefix).SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => new TopicPartitionOffset(t.Topic, p, Offset.Beginning))));
        var latencies = new List<long>(count);
        var seen = 0;
        var lastReport = Environment.TickCount64;
        while (seen < count)
        {
            ct.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(20));
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (result is not null && !result.IsPartitionEOF)
            {
                seen++;
                var produced = result.Message.Timestamp.UnixTimestampMs;
                if (produced >= fromUnixMs)
                {
                    latencies.Add(now - produced);
                }
            }

            if (Environment.TickCount64 - lastReport >= 100)
            {
                lastReport = Environment.TickCount64;
                Report(output, string.Create(CultureInfo.InvariantCulture, $"n {seen} {now}"));
            }
        }

        Report(output, string.Create(CultureInfo.InvariantCulture, $"n {seen} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}"));
        latencies.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"done {seen} {Percentile(latencies, 0.50)} {Percentile(latencies, 0.99)} {(latencies.Count > 0 ? latencies[^1] : 0)} {latencies.Count}");
    }

    private static long Percentile(List<long> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static void Report(TextWriter output, string line)
    {
        output.WriteLine(line);
        output.Flush();
    }
}
