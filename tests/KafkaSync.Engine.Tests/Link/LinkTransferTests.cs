using System.Diagnostics;
using KafkaSync.Engine.Link;

namespace KafkaSync.Engine.Tests.Link;

public sealed class LinkTransferTests
{
    [Fact]
    public async Task Records_sent_over_the_link_arrive_in_the_target_queue_record_for_record()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        fx.StartReceiver();
        await fx.FillSourceAsync(1, 20_000, timeout.Token);

        var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var run = sender.RunAsync(stop.Token);
        await sender.WaitForAckedAsync(20_000, timeout.Token);
        await stop.CancelAsync();
        await run;

        fx.AssertSameRecords(20_000);
        await fx.ReceiverLog.WaitForAsync(timeout.Token, "closed the link: the source is stopping");
        Assert.DoesNotContain(fx.ReceiverLog.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Equal(20_000, fx.Source.GetCursor("link"));
        Assert.True(fx.Source.FirstSeq > 1, "the source keeps segments the target acknowledged");
        var status = sender.Status;
        Assert.Equal(20_000, status.Records);
        Assert.True(status.CompressionRatio > 2, $"ratio {status.CompressionRatio:0.00} on repetitive JSON-like records");
        Assert.Equal(LinkState.Stopped, status.State);
    }

    [Fact]
    public async Task A_single_record_goes_out_promptly_without_waiting_for_a_full_frame()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        fx.StartReceiver();
        var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var run = sender.RunAsync(stop.Token);
        await fx.FillSourceAsync(1, 10, timeout.Token);
        await fx.WaitForTargetAsync(10, timeout.Token);

        var clock = Stopwatch.StartNew();
        await fx.FillSourceAsync(11, 1, timeout.Token);
        await fx.WaitForTargetAsync(11, timeout.Token);
        clock.Stop();

        await stop.CancelAsync();
        await run;
        fx.AssertSameRecords(11);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"a lone record took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_restarted_sender_resumes_at_the_targets_durable_seq_without_duplicates()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        fx.StartReceiver();
        await fx.FillSourceAsync(1, 3_000, timeout.Token);

        for (var round = 1; round <= 3; round++)
        {
            var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            var run = sender.RunAsync(stop.Token);
            await sender.WaitForAckedAsync(round * 3_000, timeout.Token);
            await stop.CancelAsync();
            await run;
            await fx.FillSourceAsync((round * 3_000) + 1, 3_000, timeout.Token);
        }

        var last = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key);
        using var final = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var lastRun = last.RunAsync(final.Token);
        await last.WaitForAckedAsync(12_000, timeout.Token);
        await final.CancelAsync();
        await lastRun;
        fx.AssertSameRecords(12_000);
    }

    [Fact]
    public async Task A_source_whose_records_the_target_needs_are_gone_stops_with_a_clear_error()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        fx.StartReceiver();
        await fx.FillSourceAsync(1, 100, timeout.Token);

        // The target already holds seq 1..200: this source cannot continue it.
        await fx.Target.AppendBatchAsync(Enumerable.Range(1, 200).Select(i => (ReadOnlyMemory<byte>)LinkFixture.Payload(i)).ToList(), timeout.Token);
        await fx.Target.CommitAsync(timeout.Token);

        var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key);
        var ex = await Assert.ThrowsAsync<LinkException>(() => sender.RunAsync(timeout.Token));
        Assert.Equal(LinkFailure.ResumeMismatch, ex.Failure);
        Assert.Contains("ahead of the source", ex.Message, StringComparison.Ordinal);
        Assert.Equal(201, fx.Target.NextSeq);
    }
}
