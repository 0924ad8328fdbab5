namespace KafkaSync.Engine.Tsdb;

/// <summary>The kind of every node in a cluster: a cluster never mixes kinds, so reads can go to any node.</summary>
public enum TsdbNodeKind
{
    /// <summary>InfluxDB 1.x: writes to <c>/write?db=&amp;rp=&amp;precision=</c>, reads with InfluxQL on <c>/query</c>.</summary>
    InfluxDb,

    /// <summary>VictoriaMetrics: writes line protocol to <c>/write</c>, reads with the Prometheus API.</summary>
    VictoriaMetrics,
}
