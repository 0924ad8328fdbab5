using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace KafkaSync.Surface.Tests.Cli;

/// <summary>`kafkasync tsdb` run as a process, as a service manager or a script would.</summary>
public sealed class TsdbCommandTests
{
    [Fact]
    public async Task Run_with_a_wrong_setting_exits_2_naming_the_field()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var config = Path.Combine(Path.GetTempPath(), $"tsdb-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, """{ "nodes": [ { "name": "a", "url": "http://127.0.0.1:1" } ], "kafka": { "bootstrapServers": "k:1", "topic": "t" }, "connector": { "writers": 0 } }""", timeout.Token);
        try
        {
            var (code, _, error) = await RunAsync(timeout.Token, "tsdb", "run", "--config", config);
            Assert.Equal(2, code);
            Assert.Contains("connector.writers", error);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Bench_tsdb_counts_every_point_on_the_node_and_prints_both_figures_last()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(85));
        var (code, output, error) = await RunAsync(timeout.Token, "bench", "tsdb", "--kind", "victoriametrics", "--points", "20000", "--rounds", "1", "--queries", "20");
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("victoriametrics round 1: direct", StringComparison.Ordinal));
        Assert.Matches(@"^tsdb: connector-vs-direct \d+\.\d\d, balancer-overhead-p50-ms -?\d+\.\d{3}$", lines[^1]);
    }

    [Fact]
    public async Task Bench_tsdb_with_too_few_points_exits_2_naming_the_option()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (code, _, error) = await RunAsync(timeout.Token, "bench", "tsdb", "--points", "10");
        Assert.Equal(2, code);
        Assert.Contains("--points", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nodes_from_an_unreachable_service_exits_1_with_the_url_in_the_message()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var url = $"http://127.0.0.1:{FreePort()}/";
        var (code, _, error) = await RunAsync(timeout.Token, "tsdb", "nodes", "--status-url", url);
        Assert.Equal(1, code);
        Assert.Contains(url + "nodes", error);
    }

    [Fact]
    public async Task A_running_service_lists_its_nodes_and_timeline_and_stops_on_SIGTERM()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var kafka = Start("embedded", "--brokers", "1", "--topic", "metrics:2");
        var bootstrap = await kafka.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.False(string.IsNullOrEmpty(bootstrap));
        var statusPort = FreePort();
        var config = await WriteServiceConfigAsync(bootstrap!, statusPort, timeout.Token);
        using var service = Start("tsdb", "run", "--config", config);
        try
        {
            var status = $"http://127.0.0.1:{statusPort}/";
            JsonElement nodes = default;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                var (code, output, _) = await RunAsync(timeout.Token, "tsdb", "nodes", "--status-url", status, "--json");
                if (code == 0)
                {
                    nodes = JsonDocument.Parse(output).RootElement;
                    if (nodes[0].GetProperty("state").GetString() == "unavailable")
                    {
                        break;
                    }
                }

                await Task.Delay(200, timeout.Token);
            }

            Assert.Equal("gone", nodes[0].GetProperty("name").GetString());
            Assert.Equal("unavailable", nodes[0].GetProperty("state").GetString());
            Assert.Contains("health check failed", nodes[0].GetProperty("lastError").GetString());

            var (tableCode, table, _) = await RunAsync(timeout.Token, "tsdb", "nodes", "--status-url", status);
            Assert.Equal(0, tableCode);
            Assert.Contains("gone", table);
            var (timelineCode, timeline, _) = await RunAsync(timeout.Token, "tsdb", "timeline", "--status-url", status);
            Assert.Equal(0, timelineCode);
            Assert.Contains("gone", timeline);
            Assert.Contains("-> Unavailable", timeline);

            Kill(service.Id, "TERM");
            await service.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, service.ExitCode);
            var summary = JsonDocument.Parse(await service.StandardOutput.ReadToEndAsync(timeout.Token)).RootElement;
            Assert.Equal("gone", summary[0].GetProperty("name").GetString());
            Assert.Contains("unavailable", await service.StandardError.ReadToEndAsync(timeout.Token), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            if (!service.HasExited)
            {
                service.Kill();
            }

            kafka.Kill();
            File.Delete(config);
        }
    }

    [Fact]
    public async Task A_service_whose_kafka_is_unreachable_reports_it_in_its_own_words_only()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var config = await WriteServiceConfigAsync($"127.0.0.1:{FreePort()}", FreePort(), timeout.Token);
        using var service = Start("tsdb", "run", "--config", config);
        try
        {
            // The topic watcher reports after its metadata request timed out (10 s); by then every
            // Kafka client of the service has failed to connect, over and over.
            var lines = new List<string>();
            while (await service.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains("cannot read the partitions of metrics", StringComparison.Ordinal))
                {
                    break;
                }
            }

            Kill(service.Id, "TERM");
            lines.AddRange((await service.StandardError.ReadToEndAsync(timeout.Token)).Split('\n'));
            await service.WaitForExitAsync(timeout.Token);

            Assert.Contains(lines, l => l.Contains("cannot read the partitions of metrics", StringComparison.Ordinal));
            // librdkafka's own format ("%3|1796543992.196|FAIL|rdkafka#producer-1| ...") never reaches the operator.
            Assert.DoesNotContain(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^%\d\|"));
        }
        finally
        {
            if (!service.HasExited)
            {
                service.Kill();
            }

            File.Delete(config);
        }
    }

    /// <summary>A service config with one VictoriaMetrics node nobody serves, fed from <paramref name="bootstrap"/>'s topic "metrics".</summary>
    private static async Task<string> WriteServiceConfigAsync(string bootstrap, int statusPort, CancellationToken cancellation)
    {
        var config = Path.Combine(Path.GetTempPath(), $"tsdb-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "kind": "victoriaMetrics",
              "nodes": [ { "name": "gone", "url": "http://127.0.0.1:{{FreePort()}}" } ],
              "kafka": { "bootstrapServers": "{{bootstrap}}", "topic": "metrics" },
              "monitor": { "checkInterval": "200ms", "listen": "127.0.0.1:{{statusPort}}" },
              "balancer": { "listen": "127.0.0.1:0" }
            }
            """, cancellation);
        return config;
    }

    private static Process Start(params string[] args) => HostProcess.Start(args);

    private static async Task<(int Code, string Output, string Error)> RunAsync(CancellationToken cancellation, params string[] args)
    {
        var result = await HostProcess.RunAsync(cancellation, args);
        return (result.ExitCode, result.Out, result.Err);
    }

    private static void Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
