using System.Text;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Tests.Kafka;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Sync;

/// <summary>
/// The target cluster's process frozen (SIGSTOP) while the target agent produces to it in
/// at-least-once mode, no agent killed. The agent produces every seq once and moves on only on
/// delivery (no message timeout, so librdkafka retries instead of the agent producing again);
/// any extra record on the target is the embedded broker writing a retried batch a second time
/// (see <see cref="EmbeddedKafka_Frozen_IdempotentRetries"/>), which a real broker drops by the
/// producer's sequence numbers. The test checks both halves: the agent's count, and that every
/// extra record repeats a whole batch written just before it.
/// </summary>
public sealed class TargetCluster_Frozen_AtLeastOnce(ITestOutputHelper output)
{
    private static readonly string[] Topics = ["f"];
    private const int Partitions = 2;
    private const int Records = 60_000; // ~30,000 per partition, far under the embedded broker's 5 MiB cap

    [Fact]
    public async Task A_frozen_target_cluster_gets_each_record_from_the_agent_once_and_only_the_broker_writes_retries_twice()
    {
        // About 13 s a run; a run whose embedded cluster did not come back from the freeze ends
        // at the thaw and is run again (see FrozenCluster.FreezeAsync).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        for (var attempt = 1; !await RunAsync(timeout.Token); attempt++)
        {
            Assert.True(attempt < 8, "the embedded cluster did not come back from SIGCONT in eight runs");
            output.WriteLine($"run {attempt}: the embedded cluster closed its listener on SIGCONT; running the scenario again");
        }
    }

    /// <summary>The scenario; false when the frozen cluster did not come back, so nothing could be checked.</summary>
    private async Task<bool> RunAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, Partitions, onTarget: false);
        using var cluster = await FrozenCluster.StartAsync(Topics[0], Partitions, timeout.Token);
        // A short drain: when the broker does not come back, the agent stops with records in flight.
        var options = harness.TargetOptions() with { Kafka = new KafkaConnectionOptions { BootstrapServers = cluster.BootstrapServers }, DrainTimeout = TimeSpan.FromSeconds(5) };
        // A real broker frozen for 60 s meets librdkafka's default 60 s request timeout; 2 s here.
        options.Kafka.Settings["socket.timeout.ms"] = "2000";
        var (target, port) = await AgentRun.StartTargetAsync(options, timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", Topics), timeout.Token);

        var producing = harness.ProduceAsync(Topics, Partitions, Records, 0, timeout.Token);
        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut >= 5_000, timeout.Token);
        if (!await cluster.FreezeAsync(TimeSpan.FromSeconds(5), timeout.Token))
        {
            await producing;
            await source.StopAsync();
            await target.StopAsync();
            return false;
        }

        await producing;
        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut >= Records || !cluster.AcceptsConnections(), timeout.Token);
        var status = target.StatusOf();
        if (status.RecordsOut < Records)
        {
            // The embedded broker closed its listener after the thaw; the agent keeps retrying, as it should.
            await source.StopAsync();
            await target.StopAsync();
            return false;
        }

        var stored = await Task.Run(() => SyncHarness.ReadAll(cluster.BootstrapServers, Topics, Partitions, Records, timeout.Token, quiet: TimeSpan.FromSeconds(2)));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, Partitions, Records, timeout.Token));
        var doubled = 0;
        foreach (var ((topic, partition), records) in stored)
        {
            var values = records.Select(r => Encoding.UTF8.GetString(r.Message.Value!)).ToList();
            var expected = original[(topic, partition)].Select(r => Encoding.UTF8.GetString(r.Message.Value!)).ToList();
            doubled += CheckOnlyBatchReplays(values, expected, $"{topic}[{partition}]");
        }

        output.WriteLine($"the agent produced {status.RecordsOut:N0} records once each (done seq {status.DoneSeq:N0}); the frozen broker stored {stored.Values.Sum(l => l.Count):N0}, {doubled:N0} of them a second time");
        // The agent's side: every record produced and confirmed once, none produced again.
        Assert.Equal(Records, status.RecordsOut);
        Assert.Equal(Records, stored.Values.Sum(l => l.Count) - doubled);
        await source.StopAsync();
        await target.StopAsync();
        return true;
    }

    /// <summary>
    /// Asserts <paramref name="actual"/> is <paramref name="expected"/>, in order, with nothing
    /// lost, where any extra records are runs that repeat the run just before them (a retried
    /// batch the broker wrote again); returns how many extra records there are.
    /// </summary>
    private static int CheckOnlyBatchReplays(List<string> actual, List<string> expected, string where)
    {
        var extra = 0;
        var next = 0; // index in expected
        for (var i = 0; i < actual.Count;)
        {
            if (next < expected.Count && actual[i] == expected[next])
            {
                i++;
                next++;
                continue;
            }

            // A replay: a run of values already stored, in the same order, ending right where the
            // original run ended (the next new record follows it).
            var start = expected.IndexOf(actual[i], 0, next);
            Assert.True(start >= 0, $"{where}: record '{actual[i]}' at {i} is neither the next one nor a repeat");
            var length = next - start;
            Assert.True(i + length <= actual.Count, $"{where}: a partial repeat at {i}");
            Assert.Equal(expected.GetRange(start, length), actual.GetRange(i, length));
            extra += length;
            i += length;
        }

        Assert.Equal(expected.Count, next);
        return extra;
    }
}
