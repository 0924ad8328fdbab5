using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>
/// A real influxd or victoria-metrics process on its own temp dirs and a free loopback port.
/// It can be killed (like a crash) and started again on the same data and port.
/// </summary>
public sealed class TsdbServer : IDisposable
{
    private readonly string kindName;
    private readonly string root;
    private Process? process;

    private TsdbServer(string kindName)
    {
        this.kindName = kindName;
        root = Path.Combine(Path.GetTempPath(), "kafkasync-tsdb-" + kindName + "-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        Port = FreePort();
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public bool IsInflux => kindName == "influx";

    public static TsdbServer StartInflux(bool auth = false)
    {
        var server = new TsdbServer("influx");
        var rpcPort = FreePort();
        var config = Path.Combine(server.root, "influxd.conf");
        File.WriteAllText(config, $"""
            reporting-enabled = false
            bind-address = "127.0.0.1:{rpcPort}"
            [meta]
              dir = "{server.root}/meta"
              logging-enabled = false
            [data]
              dir = "{server.root}/data"
              wal-dir = "{server.root}/wal"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [subscriber]
              enabled = false
            [continuous_queries]
              enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:{server.Port}"
              log-enabled = false
              flux-enabled = false
              auth-enabled = {(auth ? "true" : "false")}
            [logging]
              level = "error"
            """);
        server.Start();
        return server;
    }

    public static TsdbServer StartVictoria()
    {
        var server = new TsdbServer("victoria");
        server.Start();
        return server;
    }

    /// <summary>Starts the process (again) on the same data and port and waits until it answers.</summary>
    public void Start()
    {
        var info = IsInflux
            ? new ProcessStartInfo("influxd", ["-config", Path.Combine(root, "influxd.conf")])
            : new ProcessStartInfo("victoria-metrics",
            [
                "-storageDataPath", Path.Combine(root, "data"),
                "-httpListenAddr", $"127.0.0.1:{Port}",
                // Replays after a failover rewrite points; dedup keeps one sample per timestamp.
                "-dedup.minScrapeInterval=1ms",
                // Make fresh points visible to queries at once (the default hides the last 30s).
                "-search.latencyOffset=0s",
                "-search.disableCache",
                "-loggerLevel=ERROR",
            ]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + info.FileName);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitUntilReady();
    }

    /// <summary>Kills the process at once, like a crash.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process?.Dispose();
        process = null;
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var health = new Uri(Url, IsInflux ? "ping" : "health");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"{kindName} exited with code {process.ExitCode} on start");
            }

            try
            {
                using var response = http.GetAsync(health).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"{kindName} did not answer on {health} within 30s");
    }
}
