using KafkaSync.Engine.Link;
using KafkaSync.Engine.Link.Messages;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Link;

/// <summary>Seqs a repair gave up in the source queue cross the link as declared gaps, and only those.</summary>
public sealed class LinkGapTests
{
    [Fact]
    public async Task After_a_repair_lost_a_middle_segment_the_rest_reaches_the_target_and_the_lost_seqs_are_passed_over()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture(segmentBytes: 64 << 10);
        await fx.FillSourceAsync(1, 3000, timeout.Token);
        var repair = await fx.WithSourceClosedAsync(path =>
        {
            var segments = Directory.GetFiles(path, "*.seg").Order(StringComparer.Ordinal).ToArray();
            Assert.True(segments.Length > 5, $"{segments.Length} segments; the test needs a middle one to lose");
            File.Delete(segments[3]);
            return DiskQueue.Repair(path, whatIf: false);
        });
        var lost = Assert.Single(repair.LostSeqs);
        Assert.True(lost.First > 1 && lost.Last < 3000, $"lost {lost}");

        fx.StartReceiver();
        var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key, fx.SenderLog);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var run = sender.RunAsync(stop.Token);
        await sender.WaitForAckedAsync(3000, timeout.Token);
        await stop.CancelAsync();
        await run;

        Assert.Equal(3001, fx.Target.NextSeq);
        Assert.Equal([lost], fx.Target.LostSeqs);
        using var reader = fx.Target.OpenReader(1);
        var seqs = new List<long>();
        while (reader.TryRead(out var record))
        {
            Assert.True(record.Payload.Span.SequenceEqual(LinkFixture.Payload((int)record.Seq)), $"payload of seq {record.Seq}");
            seqs.Add(record.Seq);
        }

        Assert.Equal(Enumerable.Range(1, 3000).Select(i => (long)i).Where(s => s < lost.First || s > lost.Last), seqs);
        await fx.ReceiverLog.WaitForAsync(timeout.Token, "declared seqs " + lost, "lost");
        Assert.Contains(fx.SenderLog.Lines, l => l.Contains("Seqs " + lost, StringComparison.Ordinal));
        Assert.Equal(lost.Count, sender.Status.LostSeqCount);
        Assert.Equal(lost.Count, fx.Receiver!.Status.LostSeqCount);
        Assert.Equal(3000, fx.Source.GetCursor("link"));
    }

    [Fact]
    public async Task A_target_that_needs_a_lost_seq_below_the_sources_oldest_record_is_told_it_is_lost()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture(segmentBytes: 64 << 10);
        await fx.FillSourceAsync(1, 3000, timeout.Token);
        var repair = await fx.WithSourceClosedAsync(path =>
        {
            // The first segment is whole but the second is gone: then retention drops the first.
            var segments = Directory.GetFiles(path, "*.seg").Order(StringComparer.Ordinal).ToArray();
            File.Delete(segments[1]);
            return DiskQueue.Repair(path, whatIf: false);
        });
        var lost = Assert.Single(repair.LostSeqs);
        fx.Source.SetCursor("retire", lost.Last);
        Assert.Equal(lost.Last + 1, fx.Source.FirstSeq);

        // The target got everything before the lost range; it needs the first lost seq next.
        fx.Target.AdvanceEmptyTo(lost.First);
        fx.StartReceiver();
        var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var run = sender.RunAsync(stop.Token);
        await Task.WhenAny(sender.WaitForAckedAsync(3000, timeout.Token), run);
        await stop.CancelAsync();
        await run;
        Assert.Null(sender.Status.LastError);
        Assert.Equal(3001, fx.Target.NextSeq);
        Assert.Equal([lost], fx.Target.LostSeqs);
    }

    [Theory]
    [InlineData(5, 10)]
    [InlineData(1, 0)]
    [InlineData(2, 2)]
    public Task The_target_refuses_a_declared_gap_that_does_not_start_at_its_next_seq(long first, long last) =>
        LinkBadInputTests.AssertRefusedAsync(authenticate: true, (c, ct) =>
            c.SendRawAsync(RawLinkClient.Envelope(LinkMessageType.Gap, new Gap(first, last).Encode()), ct),
            "Protocol", "gap");
}
