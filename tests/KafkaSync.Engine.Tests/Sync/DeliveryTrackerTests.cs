using FsCheck;
using FsCheck.Fluent;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class DeliveryTrackerTests
{
    [Fact]
    public void Done_seq_is_the_highest_seq_with_every_lower_seq_delivered_whatever_the_order()
    {
        Prop.ForAll(Arb.From(Gen.Shuffle(Enumerable.Range(1, 300).ToArray())), Gen.Choose(0, 299).ToArbitrary(), (order, missing) =>
        {
            var tracker = new DeliveryTracker(0);
            var skipped = order[missing];
            foreach (var seq in order.Where(s => s != skipped))
            {
                tracker.Delivered(seq);
            }

            var before = tracker.DoneSeq;
            tracker.Delivered(skipped);
            return before == skipped - 1 && tracker.DoneSeq == 300;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Gaps_wider_than_the_window_are_tracked()
    {
        var tracker = new DeliveryTracker(10);
        for (long seq = 200_000; seq > 11; seq--)
        {
            tracker.Delivered(seq);
        }

        Assert.Equal(10, tracker.DoneSeq);
        tracker.Delivered(11);
        Assert.Equal(200_000, tracker.DoneSeq);
        tracker.DeliveredThrough(200_005);
        Assert.Equal(200_005, tracker.DoneSeq);
    }
}
