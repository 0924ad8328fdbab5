using KafkaSync.Engine.Tests.Kafka;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class Kcat_Interop
{
    [Fact]
    public async Task Records_produced_by_kcat_are_read_back_by_kcat_from_the_target_byte_for_byte()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var harness = new SyncHarness();
        harness.CreateTopics(["interop"], partitions: 3);
        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", ["interop"]), timeout.Token);
        await AgentRun.WaitUntilAsync(() => source.StatusOf().LinkState == "connected", timeout.Token);

        for (var partition = 0; partition < 3; partition++)
        {
            var lines = string.Concat(Enumerable.Range(0, 50).Select(i => $"key-{partition}-{i}:value with spaces, ünïcode and {i}\n"));
            await Kcat.RunAsync($"-b {harness.Source.BootstrapServers} -P -t interop -p {partition} -K : -H origin=kcat -H part={partition}", lines, timeout.Token);
        }

        const string Format = "-f \"%p|%o|%k|%s|%h|%T\\n\"";
        var expected = await Kcat.RunAsync($"-b {harness.Source.BootstrapServers} -C -t interop -o beginning -e -q {Format}", null, timeout.Token);
        Assert.Equal(150, expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut == 150, timeout.Token);
        var actual = await Kcat.RunAsync($"-b {harness.Target.BootstrapServers} -C -t interop -o beginning -e -q {Format}", null, timeout.Token);

        Assert.Equal(Sorted(expected), Sorted(actual));
        await source.StopAsync();
        await target.StopAsync();
    }

    // kcat interleaves partitions in arrival order; within a partition the offset column fixes the order.
    private static string[] Sorted(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
}
