using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tsdb;
using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// Measures, on real nodes it starts itself: points per second written to a node through a
/// connector (from an embedded Kafka) against a plain batched writer posting the same points to
/// the same node with the same batch size and parallelism, and the read balancer's added
/// latency against querying the node directly. Written points are counted on the node afterwards,
/// so a figure never comes from lost data.
/// </summary>
public static partial class TsdbBenchmark
{
    /// <summary>Runs the benchmark, one line per figure; the last line is <c>tsdb: connector-vs-direct C, balancer-overhead-p50-ms L</c>.</summary>
    /// <returns>The worst connector-vs-direct ratio and the worst p50 overhead in milliseconds over the kinds measured.</returns>
    public static async Task<(double ConnectorVsDirect, double BalancerOverheadP50Ms)> RunAsync(TsdbBenchmarkOptions options, TextWriter output, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        KafkaClients.EnsureLoaded();
        var worstRatio = double.MaxValue;
        var worstOverhead = double.MinValue;
        foreach (var kind in options.Kinds)
        {
            var (ratio, overhead) = await RunKindAsync(kind, options, output, cancellation);
            worstRatio = Math.Min(worstRatio, ratio);
            worstOverhead = Math.Max(worstOverhead, overhead);
        }

        output.WriteLine(Invariant($"tsdb: connector-vs-direct {worstRatio:F2}, balancer-overhead-p50-ms {worstOverhead:F3}"));
        return (worstRatio, worstOverhead);
    }

    private static async Task<(double Ratio, double Overhead)> RunKindAsync(TsdbNodeKind kind, TsdbBenchmarkOptions options, TextWriter output, CancellationToken cancellation)
    {
        var label = kind == TsdbNodeKind.InfluxDb ? "influxdb" : "victoriametrics";
        using var server = new LocalTsdbServer(kind);
        using var kafka = new EmbeddedKafka(brokers: 1);
        var cluster = ClusterOptions(kind, server, kafka.BootstrapServers, options);
        using var client = new NodeClient(kind, server.Url, cluster.Influx, "", cluster.Connector.RequestTimeout);
        await client.EnsureDatabaseAsync(cancellation);
        output.WriteLine(Invariant($"{label}: {options.Rounds} rounds of {options.Points:N0} points, batches of {options.BatchPoints} points, {options.Writers} parallel writers, {options.LinesPerRecord} lines per Kafka record, {Series} series keyed over {options.Partitions} partitions"));

        // Pre-fill Kafka first, so the connector's time is its own and not the producer's.
        for (var round = 1; round <= options.Rounds; round++)
        {
            kafka.CreateTopic($"bench{round}", options.Partitions);
            await ProduceAsync(kafka.BootstrapServers, $"bench{round}", Records($"conn{round}", options), options.Partitions, cancellation);
        }

        // Rounds alternate direct, connector, direct, so a busy machine weighs on both sides alike;
        // the median round is the figure.
        var ratios = new List<double>();
        TsdbCluster? last = null;
        try
        {
            for (var round = 1; round <= options.Rounds; round++)
            {
                // The previous round's cluster (kept for the latency step after the last round)
                // would otherwise poll, check and serve through this round's timed runs.
                if (last != null)
                {
                    await last.DisposeAsync();
                    last = null;
                }

                var direct1 = await DirectAsync(client, Lines($"direct{round}a", options), options, cancellation);
                var roundCluster = cluster with { Name = $"bench{round}", Kafka = cluster.Kafka with { Topic = $"bench{round}" } };
                var connector = await ConnectorAsync(roundCluster, options, cancellation);
                last = connector.Cluster;
                var direct2 = await DirectAsync(client, Lines($"direct{round}b", options), options, cancellation);
                await VerifyAsync(kind, server.Url, cluster.Influx.Database, [$"direct{round}a", $"direct{round}b", $"conn{round}"], options.Points, cancellation);
                var directRate = options.Points / ((direct1.TotalSeconds + direct2.TotalSeconds) / 2);
                var connectorRate = options.Points / connector.Elapsed.TotalSeconds;
                ratios.Add(connectorRate / directRate);
                output.WriteLine(Invariant($"{label} round {round}: direct {directRate,10:N0} points/s (runs of {direct1.TotalSeconds:F2} s and {direct2.TotalSeconds:F2} s), connector {connectorRate,10:N0} points/s ({connector.Elapsed.TotalSeconds:F2} s from partition assignment to the last commit), ratio {connectorRate / directRate:F2}"));
            }

            ratios.Sort();
            var ratio = ratios[ratios.Count / 2];
            output.WriteLine(Invariant($"{label} connector-vs-direct {ratio:F2} (median of {ratios.Count} rounds)"));

            // A one-series query, as a dashboard panel asks: cheap enough that the node's own
            // jitter does not drown the balancer's share.
            var query = kind == TsdbNodeKind.InfluxDb
                ? "query?db=" + Uri.EscapeDataString(cluster.Influx.Database) + "&q=" + Uri.EscapeDataString("SELECT last(v) FROM conn1 WHERE host = 'h1' AND region = 'r1'")
                : "api/v1/query?query=" + Uri.EscapeDataString("last_over_time(conn1_v{host=\"h1\",region=\"r1\"}[2h])");
            var (directLatency, balancedLatency) = await LatenciesAsync(server.Url, last!.BalancerUrl!, query, options.Queries, cancellation);
            var overhead = balancedLatency.P50 - directLatency.P50;
            output.WriteLine(Invariant($"{label} query direct:  p50 {directLatency.P50:F3} ms, p99 {directLatency.P99:F3} ms ({options.Queries} queries)"));
            output.WriteLine(Invariant($"{label} query balancer: p50 {balancedLatency.P50:F3} ms, p99 {balancedLatency.P99:F3} ms; added p50 {overhead:F3} ms, p99 {balancedLatency.P99 - directLatency.P99:F3} ms"));
            return (ratio, overhead);
        }
        finally
        {
            if (last != null)
            {
                await last.DisposeAsync();
            }
        }
    }

    private static TsdbClusterOptions ClusterOptions(TsdbNodeKind kind, LocalTsdbServer server, string bootstrap, TsdbBenchmarkOptions options) => new()
    {
        Name = "bench",
        Kind = kind,
        Nodes = [new TsdbNodeOptions { Name = "node", Url = server.Url.ToString() }],
        Kafka = new TsdbKafkaOptions { BootstrapServers = bootstrap, Topic = "bench1" },
        Influx = new TsdbInfluxOptions { Database = "bench", Precision = "ms" },
        Connector = new TsdbConnectorOptions { BatchPoints = options.BatchPoints, BatchBytes = 64 << 20, Writers = options.Writers, Linger = TimeSpan.FromMilliseconds(100) },
        Monitor = new TsdbMonitorOptions { Listen = "", CheckInterval = TimeSpan.FromMilliseconds(200) },
        Balancer = new TsdbBalancerOptions { Listen = "127.0.0.1:0" },
    };

    private static readonly long BaseMs = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds();

    /// <summary>How many series (host and region pairs) the points are spread over.</summary>
    internal const int Series = 100;

    /// <summary>
    /// The benchmark's points for one measurement, as line-protocol lines (one point each, each its
    /// own millisecond). Each run of <see cref="TsdbBenchmarkOptions.LinesPerRecord"/> points, one
    /// Kafka record, belongs to one series, as a collector batching a series' points sends them.
    /// </summary>
    private static IEnumerable<string> Lines(string measurement, TsdbBenchmarkOptions options)
    {
        for (var i = 0; i < options.Points; i++)
        {
            var series = i / options.LinesPerRecord % Series;
            yield return string.Create(CultureInfo.InvariantCulture, $"{measurement},host=h{series % 50},region=r{series % 4} v={i % 1000}.25,n={i}i {BaseMs + i}");
        }
    }

    private static IEnumerable<string> Records(string measurement, TsdbBenchmarkOptions options) =>
        Lines(measurement, options).Chunk(options.LinesPerRecord).Select(c => string.Join('\n', c));

    private static async Task ProduceAsync(string bootstrap, string topic, IEnumerable<string> records, int partitions, CancellationToken cancellation)
    {
        var config = KafkaClients.Producer(bootstrap);
        config.LingerMs = 100;
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        var failed = 0;
        var next = 0;
        foreach (var record in records)
        {
            // Keyed by series, as metrics producers usually key them: each series lives in one
            // partition, in time order. (Spread round-robin instead, every series arrives out of
            // time order through parallel partitions, which cost InfluxDB about a tenth of its rate.)
            var partition = new TopicPartition(topic, next++ % Series % partitions);
            var message = new Message<Null, string> { Value = record };
            while (true)
            {
                try
                {
                    producer.Produce(partition, message, report => { if (report.Error.IsError) { Interlocked.Increment(ref failed); } });
                    break;
                }
                catch (ProduceException<Null, string> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // More records than librdkafka buffers: let deliveries drain, then go on.
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                    cancellation.ThrowIfCancellationRequested();
                }
            }
        }

        await Task.Run(() => producer.Flush(cancellation), cancellation);
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} benchmark records were not delivered to the embedded Kafka");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static byte[] Utf8(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines));
}
