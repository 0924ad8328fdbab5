using System.Net;
using KafkaSync.Engine.Tests.Link.Relay;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class Link_Cut_MidStream
{
    private static readonly string[] Topics = ["a", "b"];

    [Fact]
    public async Task Cutting_the_link_twice_mid_stream_loses_and_doubles_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 4);
        await harness.ProduceAsync(Topics, 4, 30_000, 0, timeout.Token);
        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        await using var relay = new FaultRelay(new IPEndPoint(IPAddress.Loopback, port));
        // A slow relay keeps the transfer going long enough to cut it in the middle.
        relay.BytesPerSecond = 256 << 10;
        using var source = AgentRun.StartSource(harness.SourceOptions(relay.Endpoint, Topics), timeout.Token);

        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsIn > 0, timeout.Token);
        relay.CutAll();
        await AgentRun.WaitUntilAsync(() => relay.Accepted >= 2 && target.StatusOf().RecordsIn > 0, timeout.Token);
        relay.CutAll();
        relay.BytesPerSecond = 0;

        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 4, 30_000, timeout.Token));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 4, 30_000, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        Assert.True(relay.Accepted >= 3, $"the source reconnected {relay.Accepted - 1} time(s)");
        // The target queue continues the source queue seq for seq: nothing appended twice.
        Assert.Equal(source.StatusOf().NextSeq, target.StatusOf().NextSeq);
        await source.StopAsync();
        await target.StopAsync();
    }
}
