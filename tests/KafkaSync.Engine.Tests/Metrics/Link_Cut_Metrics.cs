using System.Net;
using KafkaSync.Engine.Metrics;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Tests.Link.Relay;
using KafkaSync.Engine.Tests.Sync;

namespace KafkaSync.Engine.Tests.Metrics;

/// <summary>
/// The link runs through a relay that the test cuts and then refuses for a while: the source's
/// scrapes show the link down, every failure counted with its time, and after the relay lets
/// connections through again, the link up with exactly one reconnect on both sides.
/// </summary>
public sealed class Link_Cut_Metrics
{
    [Fact]
    public async Task A_cut_and_refused_link_shows_down_counts_failures_then_one_reconnect()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var harness = new SyncHarness();
        harness.CreateTopics(["a"], partitions: 1);
        var metricsOn = new MetricsOptions { Listen = "127.0.0.1:0" };
        var target = new TargetAgent(harness.TargetOptions() with { Metrics = metricsOn });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var targetRun = target.RunAsync(stop.Token);
        var port = (await target.Listening).Port;
        await using var relay = new FaultRelay(new IPEndPoint(IPAddress.Loopback, port));
        var source = new SourceAgent(harness.SourceOptions(relay.Endpoint, ["a"]) with
        {
            Metrics = metricsOn,
            Link = new Engine.Link.LinkSenderOptions { Target = relay.Endpoint, ReconnectInitialDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200) },
        });
        var sourceRun = source.RunAsync(stop.Token);
        await Tsdb.Fixtures.Poll.UntilAsync(() => source.MetricsUrl is not null || sourceRun.IsCompleted, TimeSpan.FromSeconds(30), "the source serves metrics", timeout.Token);
        var sourceUrl = source.MetricsUrl!;

        var before = await Scrape.UntilAsync(sourceUrl, m => m.Value("kafkasync_link_up") == 1, TimeSpan.FromSeconds(30), "the link is up", timeout.Token);
        Assert.Equal(0, before.Value("kafkasync_link_failures_total"));
        Assert.Equal(0, before.Value("kafkasync_link_last_failure_timestamp_seconds"));

        var cutAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        relay.DropNewConnections = true;
        relay.CutAll();
        var down = await Scrape.UntilAsync(
            sourceUrl,
            m => m.Value("kafkasync_link_up") == 0 && m.Value("kafkasync_link_failures_total") >= 3,
            TimeSpan.FromSeconds(30),
            "the source shows the link down after the cut and two refused attempts",
            timeout.Token);
        Assert.Equal(1, down.Find("kafkasync_link_state").Where(s => s.Labels["state"] is "connecting" or "backoff").Sum(s => s.Value));
        Assert.Equal(0, down.Value("kafkasync_link_state", ("state", "connected")));
        Assert.True(down.Value("kafkasync_link_last_failure_timestamp_seconds") >= cutAt - 1, "the last failure is the cut or later");
        Assert.Equal(0, down.Value("kafkasync_link_reconnects_total"));

        relay.DropNewConnections = false;
        var again = await Scrape.UntilAsync(sourceUrl, m => m.Value("kafkasync_link_up") == 1, TimeSpan.FromSeconds(30), "the link is up again", timeout.Token);
        Assert.Equal(2, again.Value("kafkasync_link_connections_total"));
        Assert.Equal(1, again.Value("kafkasync_link_reconnects_total"));
        var targetSide = await Scrape.GetAsync(target.MetricsUrl!, timeout.Token);
        Assert.Equal(1, targetSide.Value("kafkasync_link_up"));
        Assert.Equal(1, targetSide.Value("kafkasync_link_reconnects_total"));

        stop.Cancel();
        await sourceRun;
        await targetRun;
    }
}
