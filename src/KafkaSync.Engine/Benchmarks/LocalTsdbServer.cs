using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>An influxd or victoria-metrics process on a temp dir and a free loopback port, for the benchmark.</summary>
internal sealed class LocalTsdbServer : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "kafkasync-bench-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly Process process;

    public LocalTsdbServer(TsdbNodeKind kind)
    {
        Directory.CreateDirectory(root);
        Port = FreePort();
        ProcessStartInfo info;
        if (kind == TsdbNodeKind.InfluxDb)
        {
            var config = Path.Combine(root, "influxd.conf");
            File.WriteAllText(config, $"""
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
                  bind-address = "127.0.0.1:{Port}"
                  log-enabled = false
                [logging]
                  level = "error"
                """);
            info = new ProcessStartInfo("influxd", ["-config", config]);
        }
        else
        {
            info = new ProcessStartInfo("victoria-metrics",
                ["-storageDataPath", Path.Combine(root, "data"), "-httpListenAddr", $"127.0.0.1:{Port}", "-dedup.minScrapeInterval=1ms", "-search.latencyOffset=0s", "-loggerLevel=ERROR"]);
        }

        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot run {info.FileName}: {ex.Message}. Install it (Debian: apt-get install {(kind == TsdbNodeKind.InfluxDb ? "influxdb" : "victoria-metrics")}).", ex);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitUntilReady(kind == TsdbNodeKind.InfluxDb ? "ping" : "health");
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilReady(string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with code {process.ExitCode} on start");
            }

            try
            {
                using var response = http.GetAsync(new Uri(Url, path)).GetAwaiter().GetResult();
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

        throw new TimeoutException($"{process.StartInfo.FileName} did not answer on {Url} within 30 s");
    }
}
