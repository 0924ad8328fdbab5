namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>Three InfluxDB nodes and two VictoriaMetrics nodes, started once for a test class.</summary>
public sealed class FiveServers : IDisposable
{
    public FiveServers()
    {
        Influx = [TsdbServer.StartInflux(), TsdbServer.StartInflux(), TsdbServer.StartInflux()];
        Victoria = [TsdbServer.StartVictoria(), TsdbServer.StartVictoria()];
    }

    public IReadOnlyList<TsdbServer> Influx { get; }

    public IReadOnlyList<TsdbServer> Victoria { get; }

    public void Dispose()
    {
        foreach (var server in Influx.Concat(Victoria))
        {
            server.Dispose();
        }
    }
}
