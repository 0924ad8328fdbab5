using System.Diagnostics;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Tests.Link.Relay;

namespace KafkaSync.Engine.Tests.Link;

/// <summary>
/// Network faults injected by a relay between source and target while records keep arriving;
/// afterwards the target must hold every record exactly once, in seq order.
/// </summary>
public sealed class LinkResumeTests
{
    private const int Total = 12_000;

    [Fact]
    public Task Repeated_cuts_during_transfer_lose_and_double_nothing() =>
        RunWithFaultsAsync(async (relay, _, ct) =>
        {
            for (var i = 0; i < 5; i++)
            {
                await Task.Delay(120, ct);
                relay.CutAll();
            }
        });

    [Fact]
    public Task Cuts_in_the_middle_of_frames_lose_and_double_nothing() =>
        RunWithFaultsAsync(async (relay, _, ct) =>
        {
            for (var i = 0; i < 4; i++)
            {
                await Task.Delay(100, ct);
                relay.CutAfterUpstreamBytes(5_000 + (i * 7_919));
            }
        });

    [Fact]
    public async Task A_stall_longer_than_the_heartbeat_timeout_is_detected_and_the_link_resumes()
    {
        LinkFixture? fixture = null;
        LinkSender? sender = null;
        await RunWithFaultsAsync(async (relay, s, ct) =>
        {
            sender = s;
            await Task.Delay(100, ct);
            relay.Stall();
            await Task.Delay(2_500, ct);
            relay.CutAll();
            relay.Resume();
        }, fx => fixture = fx);

        Assert.True(sender!.Status.Connections >= 2);
        Assert.Contains(fixture!.SenderLog.Lines, l => l.Contains("Timeout", StringComparison.Ordinal) && l.Contains("heartbeat timeout", StringComparison.Ordinal));
        Assert.Contains(fixture.ReceiverLog.Lines, l => l.Contains("Timeout", StringComparison.Ordinal) && l.Contains("heartbeat timeout", StringComparison.Ordinal));
    }

    [Fact]
    public Task A_slow_link_delivers_everything() =>
        RunWithFaultsAsync(async (relay, _, ct) =>
        {
            relay.BytesPerSecond = 300_000;
            await Task.Delay(1_000, ct);
            relay.BytesPerSecond = 0;
        });

    [Fact]
    public async Task A_half_open_target_connection_is_replaced_by_the_reconnect()
    {
        LinkFixture? fixture = null;
        await RunWithFaultsAsync(async (relay, _, ct) =>
        {
            await Task.Delay(150, ct);
            relay.CutSourceSideOnly();
        }, fx => fixture = fx);

        Assert.Contains(fixture!.ReceiverLog.Lines, l => l.Contains("replaced by a newer connection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stale_connection_attempt_arriving_after_a_newer_one_is_refused()
    {
        LinkFixture? fixture = null;
        await RunWithFaultsAsync(async (relay, sender, ct) =>
        {
            // The next attempt's Hello passes, its Proof is held: the sender gives up on it and
            // reconnects; only once the newer connection is serving does the held Proof reach the target.
            relay.HoldAfterBytes = RawLinkClient.Envelope(KafkaSync.Engine.Link.Messages.LinkMessageType.Hello, RawLinkClient.NewHello("test-source").Encode()).Length;
            relay.HoldNextConnection = true;
            relay.CutAll();
            while (fixture!.ReceiverLog.Lines.Count(l => l.Contains("connected from", StringComparison.Ordinal)) < 2)
            {
                await Task.Delay(10, ct);
            }

            relay.ReleaseHeld();
            await fixture.ReceiverLog.WaitForAsync(ct, "Busy", "stale connection attempt");
        }, fx => fixture = fx, connectTimeout: TimeSpan.FromMilliseconds(500), receiverHandshakeTimeout: TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Transfer_resumes_within_a_second_of_the_network_coming_back()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        await using var fx = new LinkFixture();
        var receiver = fx.StartReceiver();
        await using var relay = new FaultRelay(fx.ReceiverEndpoint);
        var options = fx.SenderOptions(relay.Endpoint) with { ReconnectMaxDelay = TimeSpan.FromMilliseconds(500) };
        var sender = new LinkSender(fx.Source, options, LinkFixture.Key);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = sender.RunAsync(stop.Token);
        await fx.FillSourceAsync(1, 1_000, ct);
        await sender.WaitForAckedAsync(1_000, ct);

        relay.DropNewConnections = true;
        relay.CutAll();
        await fx.FillSourceAsync(1_001, 1_000, ct);
        await Task.Delay(1_500, ct); // down long enough for the backoff to reach its cap
        Assert.Equal(1_000, fx.Target.NextSeq - 1);

        var clock = Stopwatch.StartNew();
        relay.DropNewConnections = false;
        await sender.WaitForAckedAsync(2_000, ct);
        clock.Stop();

        await stop.CancelAsync();
        await run;
        fx.AssertSameRecords(2_000);
        Assert.Equal(2, receiver.Status.Connections);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"resumed {clock.Elapsed.TotalMilliseconds:0} ms after the network came back");
    }

    /// <summary>Produces <see cref="Total"/> records in small batches while <paramref name="faults"/> runs, then checks the queues.</summary>
    private static async Task RunWithFaultsAsync(Func<FaultRelay, LinkSender, CancellationToken, Task> faults, Action<LinkFixture>? inspect = null, TimeSpan? connectTimeout = null, TimeSpan? receiverHandshakeTimeout = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var fx = new LinkFixture(new LinkReceiverOptions
        {
            Listen = "127.0.0.1:0",
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            HeartbeatTimeout = TimeSpan.FromMilliseconds(1500),
            HandshakeTimeout = receiverHandshakeTimeout ?? TimeSpan.FromSeconds(2),
        });
        inspect?.Invoke(fx);
        fx.StartReceiver();
        await using var relay = new FaultRelay(fx.ReceiverEndpoint);
        var options = fx.SenderOptions(relay.Endpoint);
        if (connectTimeout is { } connect)
        {
            options = options with { ConnectTimeout = connect };
        }

        var sender = new LinkSender(fx.Source, options, LinkFixture.Key, fx.SenderLog);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = sender.RunAsync(stop.Token);

        var producer = Task.Run(async () =>
        {
            for (var from = 1; from <= Total; from += 200)
            {
                await fx.FillSourceAsync(from, 200, ct);
                await Task.Delay(2, ct);
            }
        }, ct);

        // Faults start once the first connection is up, so each test exercises what it names.
        await fx.ReceiverLog.WaitForAsync(ct, "connected from");
        await faults(relay, sender, ct);
        await producer;
        await sender.WaitForAckedAsync(Total, ct);
        await stop.CancelAsync();
        await run;

        fx.AssertSameRecords(Total);
    }
}
