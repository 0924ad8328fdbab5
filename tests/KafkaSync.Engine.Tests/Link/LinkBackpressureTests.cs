using KafkaSync.Engine.Link;

namespace KafkaSync.Engine.Tests.Link;

public sealed class LinkBackpressureTests
{
    [Fact]
    public async Task A_full_target_queue_pauses_the_link_without_errors_and_it_resumes_as_space_frees()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        await using var fx = new LinkFixture(segmentBytes: 64 << 10, targetCapacityBytes: 256 << 10);
        fx.StartReceiver();
        const int Total = 5_000; // ~1.2 MB of payload into a 256 KiB target
        await fx.FillSourceAsync(1, Total, ct);

        var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key, fx.SenderLog);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = sender.RunAsync(stop.Token);

        // Full: the receiver waits for room and so stops reading.
        while (fx.Target.RetainedBytes < (256 << 10) - (16 << 10))
        {
            await Task.Delay(10, ct);
        }

        // Twice the heartbeat timeout with the receiver blocked: no false "dead peer", no reconnect.
        var held = fx.Target.NextSeq;
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        Assert.Equal(held, fx.Target.NextSeq);
        Assert.Equal(1, sender.Status.Connections);
        Assert.Null(sender.Status.LastError);
        Assert.Null(fx.Receiver!.Status.LastError);

        // A consumer drains the target in order; retention frees space and the link continues.
        using (var reader = fx.Target.OpenReader(1))
        {
            for (long seq = 1; seq <= Total; seq++)
            {
                KafkaSync.Engine.Queue.QueueRecord record;
                while (!reader.TryRead(out record))
                {
                    Assert.True(await reader.WaitToReadAsync(ct));
                }

                Assert.Equal(seq, record.Seq);
                Assert.True(record.Payload.Span.SequenceEqual(LinkFixture.Payload((int)seq)), $"payload of seq {seq}");
                if (seq % 100 == 0)
                {
                    fx.Target.SetCursor("consumer", seq);
                }
            }
        }

        await sender.WaitForAckedAsync(Total, ct);
        await stop.CancelAsync();
        await run;
        Assert.Equal(Total + 1, fx.Target.NextSeq);
        Assert.Equal(1, sender.Status.Connections);
    }

    [Fact]
    public async Task Stopping_the_sender_while_the_target_is_full_does_not_hang()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        await using var fx = new LinkFixture(segmentBytes: 64 << 10, targetCapacityBytes: 256 << 10);
        fx.StartReceiver();
        await fx.FillSourceAsync(1, 20_000, ct);
        var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = sender.RunAsync(stop.Token);
        while (fx.Target.RetainedBytes < (256 << 10) - (16 << 10))
        {
            await Task.Delay(10, ct);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(LinkState.Stopped, sender.Status.State);
    }
}
