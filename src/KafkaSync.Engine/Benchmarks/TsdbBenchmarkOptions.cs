using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>Settings of <c>kafkasync bench tsdb</c>.</summary>
public sealed record TsdbBenchmarkOptions
{
    /// <summary>Points written to each node, once through the connector and twice directly; default 500,000 (runs of a few seconds, so start-up costs do not dominate).</summary>
    public int Points { get; init; } = 500_000;

    /// <summary>Rounds of direct, connector, direct; the median round's ratio is reported. Default 5: single rounds on a 2-core machine swing by ±0.2.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>Line-protocol lines per Kafka record; default 10.</summary>
    public int LinesPerRecord { get; init; } = 10;

    /// <summary>Partitions of the benchmark topic; default 16.</summary>
    public int Partitions { get; init; } = 16;

    /// <summary>Points per HTTP write, for the connector and the direct writer alike; default 5000.</summary>
    public int BatchPoints { get; init; } = 5000;

    /// <summary>Parallel HTTP writers, for the connector and the direct writer alike; default 4.</summary>
    public int Writers { get; init; } = 4;

    /// <summary>Queries timed directly and through the balancer, each; default 2000.</summary>
    public int Queries { get; init; } = 2000;

    /// <summary>Which node kinds to measure; default both.</summary>
    public IReadOnlyList<Tsdb.TsdbNodeKind> Kinds { get; init; } = [Tsdb.TsdbNodeKind.InfluxDb, Tsdb.TsdbNodeKind.VictoriaMetrics];

    /// <summary>Checks the settings.</summary>
    /// <exception cref="OptionsException">A setting is out of range.</exception>
    public void Validate()
    {
        OptionsException.ThrowIfOutOfRange("--points", Points, 1000, 5_000_000);
        OptionsException.ThrowIfOutOfRange("--rounds", Rounds, 1, 20);
        OptionsException.ThrowIfOutOfRange("--lines-per-record", LinesPerRecord, 1, 1000);
        OptionsException.ThrowIfOutOfRange("--partitions", Partitions, 1, 64);
        OptionsException.ThrowIfOutOfRange("--batch-points", BatchPoints, 1, 1_000_000);
        OptionsException.ThrowIfOutOfRange("--writers", Writers, 1, 64);
        OptionsException.ThrowIfOutOfRange("--queries", Queries, 10, 1_000_000);

        // The mock cluster keeps only the newest 100,000 message sets or 5 MiB per partition; records
        // are keyed by series, so the fullest partition holds the most series any partition gets.
        var fullestShare = (double)((TsdbBenchmark.Series + Partitions - 1) / Partitions) / TsdbBenchmark.Series;
        var perPartitionBytes = Points * 60 * fullestShare;
        if ((double)Points / LinesPerRecord * fullestShare > 90_000 || perPartitionBytes > (4L << 20))
        {
            throw new OptionsException("--points", $"{Points} points over {Partitions} partitions exceed the embedded Kafka's 5 MiB / 100,000 records per partition; add partitions or lower the points.");
        }

        if (Kinds.Count == 0)
        {
            throw new OptionsException("--kind", "name at least one node kind: influxdb or victoriametrics.");
        }
    }
}
