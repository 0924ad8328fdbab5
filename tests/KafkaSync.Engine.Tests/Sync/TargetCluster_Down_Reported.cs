using System.Text.Json;
using System.Text.RegularExpressions;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Tests.Sync;

/// <summary>
/// A `kafkasync target` whose cluster cannot be reached says so in its own log lines, and no
/// Kafka client of it prints librdkafka's raw "%3|…|FAIL|…" lines to the operator's terminal.
/// </summary>
public sealed class TargetCluster_Down_Reported
{
    [Fact]
    public async Task An_unreachable_target_cluster_is_reported_in_the_agents_words_only()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var harness = new SyncHarness();
        var options = harness.TargetOptions() with
        {
            Kafka = new() { BootstrapServers = $"127.0.0.1:{AgentRun.FreePort()}" },
            Link = new() { Listen = $"127.0.0.1:{AgentRun.FreePort()}" },
        };
        var config = Path.Combine(harness.Folder, "target.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(options, ConfigFile.Json), timeout.Token);

        using var host = HostProcess.Start("target", "--config", config, "--verbose");
        // The placement admin client is made beside the producer and fails its first connection as
        // quickly (a refused loopback connect); its raw lines, when it had no handler, came with the
        // producer's first report. librdkafka then retries every client with a backoff growing to a
        // second, and the agent passes each distinct report on once per 30 s.
        await AgentRun.WaitUntilAsync(() => host.HasExited || host.Output.Contains("brokers are down", StringComparison.Ordinal), timeout.Token);
        await AgentRun.WaitUntilAsync(() => host.HasExited || Regex.Matches(host.Output, "librdkafka FAIL: ").Count >= 1, timeout.Token);
        host.Terminate();
        await host.WaitAsync(timeout.Token);

        Assert.DoesNotMatch(new Regex(@"^%\d\|", RegexOptions.Multiline), host.Output);
        var reports = host.Output.Split('\n').Select(l => Regex.Replace(l, @"^[\d:.]+ ", "")).Where(l => l.StartsWith("Target cluster: ", StringComparison.Ordinal) || l.StartsWith("librdkafka ", StringComparison.Ordinal)).ToList();
        Assert.Contains(reports, r => r.Contains("Connection refused", StringComparison.Ordinal));
        Assert.All(reports.GroupBy(r => r), g => Assert.True(g.Count() == 1, $"'{g.Key}' was printed {g.Count()} times"));
    }
}
