using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KafkaSync.Engine.Tsdb;
using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>The timed runs: direct writes, the connector, and query latencies.</summary>
public static partial class TsdbBenchmark
{
    private static async Task<TimeSpan> DirectAsync(NodeClient client, IEnumerable<string> lines, TsdbBenchmarkOptions options, CancellationToken cancellation)
    {
        // The plain writer gets the same help as the connector: bodies built up front, same batch size, same parallelism.
        var bodies = new Queue<byte[]>(lines.Chunk(options.BatchPoints).Select(Utf8));
        CollectSetUpGarbage();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Writers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                byte[] body;
                lock (bodies)
                {
                    if (!bodies.TryDequeue(out body!))
                    {
                        return;
                    }
                }

                var result = await client.WriteAsync(body, cancellation);
                if (result.Outcome != WriteOutcome.Written)
                {
                    throw new InvalidOperationException("the direct write failed: " + result.Reason);
                }
            }
        }, cancellation));
        await Task.WhenAll(workers);
        return clock.Elapsed;
    }

    private static async Task<(TsdbCluster Cluster, TimeSpan Elapsed)> ConnectorAsync(TsdbClusterOptions options, TsdbBenchmarkOptions benchmark, CancellationToken cancellation)
    {
        CollectSetUpGarbage();
        var cluster = await TsdbCluster.StartAsync(options, cancellation: cancellation);
        try
        {
            return await MeasureConnectorAsync(cluster, benchmark, cancellation);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Times the connector from partition assignment to the commit of the last record. The end
    /// is the connector's own commit time, so the status is polled only every 20 ms: polling it
    /// every millisecond, as a stopwatch would need, took CPU from the run it measured.
    /// </summary>
    private static async Task<(TsdbCluster Cluster, TimeSpan Elapsed)> MeasureConnectorAsync(TsdbCluster cluster, TsdbBenchmarkOptions options, CancellationToken cancellation)
    {
        var records = (options.Points + options.LinesPerRecord - 1) / options.LinesPerRecord;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);

        // Nothing flows before the assignment, so a tight poll here costs the run nothing.
        while (cluster.Nodes()[0].Offsets.Count == 0)
        {
            ThrowIfPast(deadline);
            await Task.Delay(1, cancellation);
        }

        var assignedAt = DateTimeOffset.UtcNow;
        TsdbNodeStatus node;
        while ((node = cluster.Nodes()[0]).Offsets.Values.Sum() < records)
        {
            ThrowIfPast(deadline);
            await Task.Delay(20, cancellation);
        }

        // The balancer serves only available nodes: wait for the monitor's next check.
        while (cluster.Nodes()[0].State != TsdbNodeState.Available)
        {
            ThrowIfPast(deadline);
            await Task.Delay(10, cancellation);
        }

        return (cluster, node.LastCommitAt!.Value - assignedAt);
    }

    private static void ThrowIfPast(DateTime deadline)
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("the connector did not write every benchmark point within 5 minutes");
        }
    }

    /// <summary>
    /// Collects the garbage of building a run's input before its clock starts, so a collection
    /// it left behind does not run during (and count against) whichever run comes next.
    /// </summary>
    private static void CollectSetUpGarbage()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    private static async Task VerifyAsync(TsdbNodeKind kind, Uri node, string database, string[] measurements, long points, CancellationToken cancellation)
    {
        using var http = new HttpClient();
        foreach (var measurement in measurements)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            long count;
            do
            {
                var url = kind == TsdbNodeKind.InfluxDb
                    ? new Uri(node, "query?db=" + Uri.EscapeDataString(database) + "&q=" + Uri.EscapeDataString($"SELECT count(v) FROM {measurement}"))
                    : new Uri(node, "api/v1/query?query=" + Uri.EscapeDataString($"sum(count_over_time({measurement}_v[2h]))"));
                using var doc = JsonDocument.Parse(await http.GetStringAsync(url, cancellation));
                count = kind == TsdbNodeKind.InfluxDb ? InfluxCount(doc) : VictoriaCount(doc);
                if (count == points)
                {
                    break;
                }

                await Task.Delay(200, cancellation);
            }
            while (DateTime.UtcNow < deadline);

            if (count != points)
            {
                throw new InvalidOperationException($"the node holds {count} of the {points} points written as '{measurement}'; the figures would be wrong");
            }
        }
    }

    private static long InfluxCount(JsonDocument doc) =>
        doc.RootElement.GetProperty("results")[0].TryGetProperty("series", out var series) ? series[0].GetProperty("values")[0][1].GetInt64() : 0;

    private static long VictoriaCount(JsonDocument doc)
    {
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? 0 : long.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    private static async Task<((double P50, double P99) Direct, (double P50, double P99) Balanced)> LatenciesAsync(Uri node, Uri balancer, string query, int count, CancellationToken cancellation)
    {
        using var direct = new HttpClient { BaseAddress = node };
        using var balanced = new HttpClient { BaseAddress = balancer };
        var directTimes = new List<double>(count);
        var balancedTimes = new List<double>(count);
        for (var i = -100; i < count; i++)
        {
            // Interleaved, so both paths see the same node state and machine noise.
            var d = await TimeQueryAsync(direct, query, cancellation);
            var b = await TimeQueryAsync(balanced, query, cancellation);
            if (i >= 0)
            {
                directTimes.Add(d);
                balancedTimes.Add(b);
            }
        }

        return (Percentiles(directTimes), Percentiles(balancedTimes));
    }

    private static async Task<double> TimeQueryAsync(HttpClient http, string query, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(query, cancellation);
        await response.Content.ReadAsByteArrayAsync(cancellation);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"benchmark query {query} answered {(int)response.StatusCode}");
        }

        return elapsed;
    }

    private static (double P50, double P99) Percentiles(List<double> times)
    {
        times.Sort();
        return (times[(int)(times.Count * 0.50)], times[Math.Min(times.Count - 1, (int)(times.Count * 0.99))]);
    }
}
