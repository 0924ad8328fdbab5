using System.Globalization;
using KafkaSync.Engine.Tests.Sync;

namespace KafkaSync.Engine.Tests.Kafka;

/// <summary>
/// An embedded cluster in a process of its own (`kafkasync embedded`), so that a test can freeze
/// it with SIGSTOP and thaw it with SIGCONT: its sockets stay open and fill, nothing answers.
/// </summary>
internal sealed class FrozenCluster : IDisposable
{
    private readonly HostProcess _host;

    private FrozenCluster(HostProcess host, string bootstrap)
    {
        _host = host;
        BootstrapServers = bootstrap;
    }

    public string BootstrapServers { get; }

    public static async Task<FrozenCluster> StartAsync(string topic, int partitions, CancellationToken ct)
    {
        var host = HostProcess.Start("embedded", "--brokers", "1", "--topic", $"{topic}:{partitions.ToString(CultureInfo.InvariantCulture)}");
        while (true)
        {
            var line = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.StartsWith("127.0.0.1:", StringComparison.Ordinal) || l.StartsWith("localhost:", StringComparison.Ordinal));
            if (line is not null)
            {
                return new FrozenCluster(host, line);
            }

            Assert.False(host.HasExited, "kafkasync embedded ended: " + host.Output);
            await Task.Delay(50, ct);
        }
    }

    /// <summary>
    /// Stops the cluster's process for <paramref name="duration"/>, then lets it go on. Returns
    /// whether it came back: librdkafka's mock broker sometimes closes its listener on SIGCONT
    /// (seen in one freeze in three to six here), and then refuses every connection for good. That
    /// is a fault of the test cluster, not of a client; a test should run its scenario again.
    /// </summary>
    public async Task<bool> FreezeAsync(TimeSpan duration, CancellationToken ct)
    {
        Signal("STOP");
        try
        {
            await Task.Delay(duration, ct);
        }
        finally
        {
            Signal("CONT");
        }

        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (AcceptsConnections())
            {
                return true;
            }

            await Task.Delay(100, ct);
        }

        return false;
    }

    /// <summary>
    /// Whether the broker's listener is open. The mock broker was also seen to accept connections
    /// right after SIGCONT and close its listener for good a moment later; a test waiting for
    /// records after the thaw checks this too.
    /// </summary>
    public bool AcceptsConnections()
    {
        var (host, port) = (BootstrapServers[..BootstrapServers.LastIndexOf(':')], int.Parse(BootstrapServers[(BootstrapServers.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(host, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _host.Dispose();

    private void Signal(string name)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + name, _host.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
