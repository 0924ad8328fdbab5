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
        // Every client of the agent connects as it starts, and librdkafka retries a refused
        // connection with a backoff growing to a second: by the producer's fifth report each
        // client has failed at least once (the admin client's raw lines came with the first).
        await AgentRun.WaitUntilAsync(() => host.HasExited || Regex.Matches(host.Output, "Target cluster: .*Connection refused").Count >= 5, timeout.Token);
        host.Terminate();
        await host.WaitAsync(timeout.Token);

        Assert.DoesNotMatch(new Regex(@"^%\d\|", RegexOptions.Multiline), host.Output);
    }
}
