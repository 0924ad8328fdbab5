namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>One InfluxDB node, started once for a test class.</summary>
public sealed class OneInflux : IDisposable
{
    public TsdbServer Node { get; } = TsdbServer.StartInflux();

    public void Dispose() => Node.Dispose();
}
