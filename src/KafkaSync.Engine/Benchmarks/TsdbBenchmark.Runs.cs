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
        var clock = StartClock();
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

    private static async Task<(TsdbCluster Cluster, TimeSpan Elapsed)> MeasureConnectorAsync(TsdbCluster cluster, TsdbBenchmarkOptions options, CancellationToken cancellation)
    {
        var records = (options.Points + options.LinesPerRecord - 1) / options.LinesPerRecord;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        Stopwatch? clock = null;
        while (DateTime.UtcNow < deadline)
        {
            var node = cluster.Nodes()[0];
            if (clock == null && node.Offsets.Count > 0)
            {
                clock = Stopwatch.StartNew();
            }

            if (node.Offsets.Values.Sum() >= records)
            {
                var elapsed = clock!.Elapsed;

                // The balancer serves only available nodes: wait for the monitor's next check.
                while (cluster.Nodes()[0].State != TsdbNodeState.Available && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(10, cancellation);
                }

                return (cluster, elapsed);
            }

            await Task.Delay(1, cancellation);
        }

        throw new TimeoutException("the connector did not write every benchmark point within 5 minutes");
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
