using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// An influxd or victoria-metrics process on its own temp dir and a free loopback port, for the benchmark and the tests.
/// It can be killed (like a crash) and started again on the same data and port.
/// </summary>
internal sealed class LocalTsdbServer : IDisposable
{
    private readonly string root;
    private readonly bool disableQueryCache;
    private Process? process;

    /// <summary>Creates the temp dir, picks a port and starts the server.</summary>
    /// <param name="kind">Which server to run.</param>
    /// <param name="influxAuth">InfluxDB only: turn on <c>auth-enabled</c>.</param>
    /// <param name="disableQueryCache">VictoriaMetrics only: pass <c>-search.disableCache</c>.</param>
    public LocalTsdbServer(TsdbNodeKind kind, bool influxAuth = false, bool disableQueryCache = false)
    {
        Kind = kind;
        this.disableQueryCache = disableQueryCache;
        root = Path.Combine(Path.GetTempPath(), "kafkasync-tsdb-" + (IsInflux ? "influx" : "victoria") + "-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        Port = FreePort();
        if (IsInflux)
        {
            File.WriteAllText(ConfigPath, $"""
                reporting-enabled = false
                bind-address = "127.0.0.1:{FreePort()}"
                [meta]
                  dir = "{root}/meta"
                  logging-enabled = false
                [data]
                  dir = "{root}/data"
                  wal-dir = "{root}/wal"
                  query-log-enabled = false
                [monitor]
                  store-enabled = false
                [subscriber]
                  enabled = false
                [continuous_queries]
                  enabled = false
                [http]
                  enabled = true
                  bind-address = "127.0.0.1:{Port}"
                  log-enabled = false
                  flux-enabled = false
                  auth-enabled = {(influxAuth ? "true" : "false")}
                [logging]
                  level = "error"
                """);
        }

        try
        {
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TsdbNodeKind Kind { get; }

    public bool IsInflux => Kind == TsdbNodeKind.InfluxDb;

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    private string ConfigPath => Path.Combine(root, "influxd.conf");

    /// <summary>Starts the process (again) on the same data and port and waits until it answers.</summary>
    public void Start()
    {
        var info = IsInflux
            ? new ProcessStartInfo("influxd", ["-config", ConfigPath])
            : new ProcessStartInfo("victoria-metrics", VictoriaArguments());
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot run {info.FileName}: {ex.Message}. Install it (Debian: apt-get install {(IsInflux ? "influxdb" : "victoria-metrics")}).", ex);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitUntilReady(process);
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

    /// <summary>Kills the process and deletes its data, leaving an empty server (same port) to <see cref="Start"/>.</summary>
    public void Wipe()
    {
        Kill();
        foreach (var dir in new[] { "data", "meta", "wal" }.Select(d => Path.Combine(root, d)).Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
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

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private List<string> VictoriaArguments()
    {
        List<string> arguments =
        [
            "-storageDataPath", Path.Combine(root, "data"),
            "-httpListenAddr", $"127.0.0.1:{Port}",
            // Replays after a failover rewrite points; dedup keeps one sample per timestamp.
            "-dedup.minScrapeInterval=1ms",
            // Make fresh points visible to queries at once (the default hides the last 30s).
            "-search.latencyOffset=0s",
        ];
        if (disableQueryCache)
        {
            arguments.Add("-search.disableCache");
        }

        arguments.Add("-loggerLevel=ERROR");
        return arguments;
    }

    private void WaitUntilReady(Process started)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var health = new Uri(Url, IsInflux ? "ping" : "health");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"{started.StartInfo.FileName} exited with code {started.ExitCode} on start");
            }

            try
            {
                using var response = http.GetAsync(health).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"{started.StartInfo.FileName} did not answer on {health} within 30 s");
    }
}
