using KafkaSync.Engine.Benchmarks;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>
/// A real influxd or victoria-metrics process (see <see cref="LocalTsdbServer"/>) for the tests.
/// It can be killed (like a crash) and started again on the same data and port.
/// </summary>
public sealed class TsdbServer : IDisposable
{
    private readonly LocalTsdbServer server;

    private TsdbServer(LocalTsdbServer server) => this.server = server;

    public int Port => server.Port;

    public Uri Url => server.Url;

    public bool IsInflux => server.IsInflux;

    public static TsdbServer StartInflux(bool auth = false) => new(new LocalTsdbServer(TsdbNodeKind.InfluxDb, influxAuth: auth));

    // The tests run VictoriaMetrics with -search.disableCache (every query reads the storage); the benchmark does not.
    public static TsdbServer StartVictoria() => new(new LocalTsdbServer(TsdbNodeKind.VictoriaMetrics, disableQueryCache: true));

    /// <summary>Starts the process (again) on the same data and port and waits until it answers.</summary>
    public void Start() => server.Start();

    /// <summary>Kills the process and deletes its data: after <see cref="Start"/> it is an empty replacement on the same URL.</summary>
    public void Wipe() => server.Wipe();

    /// <summary>Kills the process at once, like a crash.</summary>
    public void Kill() => server.Kill();

    public void Dispose() => server.Dispose();

    public static int FreePort() => LocalTsdbServer.FreePort();
}
