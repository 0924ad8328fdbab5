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

    /// <summary>Stops the cluster's process for <paramref name="duration"/>, then lets it go on.</summary>
    public async Task FreezeAsync(TimeSpan duration, CancellationToken ct)
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
    }

    public void Dispose() => _host.Dispose();

    private void Signal(string name)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + name, _host.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
