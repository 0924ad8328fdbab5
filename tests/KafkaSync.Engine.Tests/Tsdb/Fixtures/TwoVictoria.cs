namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>Two VictoriaMetrics nodes, started once for a test class.</summary>
public sealed class TwoVictoria : IDisposable
{
    public IReadOnlyList<TsdbServer> Nodes { get; } = [TsdbServer.StartVictoria(), TsdbServer.StartVictoria()];

    public void Dispose()
    {
        foreach (var server in Nodes)
        {
            server.Dispose();
        }
    }
}
