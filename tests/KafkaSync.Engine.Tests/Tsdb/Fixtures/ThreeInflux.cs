namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>Three InfluxDB nodes, started once for a test class.</summary>
public sealed class ThreeInflux : IDisposable
{
    public IReadOnlyList<TsdbServer> Nodes { get; } = [TsdbServer.StartInflux(), TsdbServer.StartInflux(), TsdbServer.StartInflux()];

    public void Dispose()
    {
        foreach (var server in Nodes)
        {
            server.Dispose();
        }
    }
}
