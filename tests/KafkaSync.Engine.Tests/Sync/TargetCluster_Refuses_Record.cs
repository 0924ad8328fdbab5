using System.Globalization;
using System.Text.RegularExpressions;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class TargetCluster_Refuses_Record
{
    /// <summary>
    /// A permanent produce error (here MESSAGE_TOO_LARGE, code 10, answered by the embedded target
    /// to the first Produce request) stops the target agent naming the refused seq, and the
    /// produced cursor does not pass it. Records of later requests may still be delivered (an
    /// idempotent producer is not gapless), so only the cursor is checked, not the count.
    /// </summary>
    [Fact]
    public async Task A_refused_record_stops_the_target_naming_its_seq()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var harness = new SyncHarness();
        harness.CreateTopics(["a"], 1);
        await harness.ProduceAsync(["a"], 1, 100, 0, timeout.Token);
        harness.Target.PushRequestErrors(0, 10);
        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", ["a"]), timeout.Token);
        var error = await Assert.ThrowsAsync<AgentException>(() => target.Run);
        var refused = long.Parse(Assert.Single(Regex.Matches(error.Message, @"^Kafka refused seq (\d+) for a\[0\]: ")).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(target.StatusOf().DoneSeq < refused, $"the produced cursor {target.StatusOf().DoneSeq} passed the refused seq {refused}");
        await source.StopAsync();
    }
}
