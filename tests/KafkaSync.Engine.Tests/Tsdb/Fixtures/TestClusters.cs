using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>Cluster options for tests: free ports, short intervals, a unique name per test.</summary>
public static class TestClusters
{
    public static TsdbClusterOptions Options(string bootstrap, string topic, IEnumerable<TsdbServer> servers, string database, string? deadLetterPath = null)
    {
        var list = servers.ToList();
        return new TsdbClusterOptions
        {
            Name = "t" + Guid.NewGuid().ToString("N")[..8],
            Kind = list[0].IsInflux ? TsdbNodeKind.InfluxDb : TsdbNodeKind.VictoriaMetrics,
            Nodes = list.Select((s, i) => new TsdbNodeOptions { Name = "n" + i, Url = s.Url.ToString() }).ToList(),
            Kafka = new TsdbKafkaOptions { BootstrapServers = bootstrap, Topic = topic },
            Influx = new TsdbInfluxOptions { Database = database, Precision = "ms" },
            Connector = new TsdbConnectorOptions
            {
                BatchPoints = 5000,
                Linger = TimeSpan.FromMilliseconds(100),
                Writers = 4,
                RetryInterval = TimeSpan.FromMilliseconds(300),
                RequestTimeout = TimeSpan.FromSeconds(5),
                SafetyWindow = TimeSpan.FromSeconds(30),
            },
            Monitor = new TsdbMonitorOptions { CheckInterval = TimeSpan.FromMilliseconds(500), CheckTimeout = TimeSpan.FromMilliseconds(500), Listen = "127.0.0.1:0" },
            Balancer = new TsdbBalancerOptions { Listen = "127.0.0.1:0" },
            DeadLetter = new TsdbDeadLetterOptions { Path = deadLetterPath ?? "" },
        };
    }
}
