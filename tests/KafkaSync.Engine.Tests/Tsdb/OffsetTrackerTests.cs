using FsCheck;
using FsCheck.Fluent;
using KafkaSync.Engine.Tsdb.Connectors;

namespace KafkaSync.Engine.Tests.Tsdb;

public sealed class OffsetTrackerTests
{
    [Fact]
    public void A_partition_is_committed_only_up_to_its_first_unfinished_record_whatever_order_batches_finish_in()
    {
        var gen =
            from count in Gen.Choose(1, 60)
            from order in Gen.Shuffle(Enumerable.Range(0, count).ToArray())
            from start in Gen.Choose(0, 1000)
            select (count, order, start);

        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var tracker = new OffsetTracker();
            tracker.Reset(0, c.start);
            for (var i = 0; i < c.count; i++)
            {
                tracker.Register(0, c.start + i);
            }

            var finished = new HashSet<long>();
            var committed = (long)c.start;
            foreach (var i in c.order)
            {
                tracker.Complete(0, c.start + i);
                finished.Add(c.start + i);
                foreach (var (_, position) in tracker.TakeAdvanced())
                {
                    committed = position;
                }

                // Every record below the committed position is finished; the one at it is not (unless all are).
                for (var o = c.start; o < committed; o++)
                {
                    if (!finished.Contains(o))
                    {
                        return false;
                    }
                }

                if (committed < c.start + c.count && finished.Contains(committed))
                {
                    return false;
                }
            }

            return committed == c.start + c.count;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Rewinding_by_time_returns_the_position_committed_at_that_time()
    {
        var tracker = new OffsetTracker();
        tracker.Reset(3, 100);
        tracker.Register(3, 100);
        tracker.Complete(3, 100);
        Assert.Equal([(3, 101L)], tracker.TakeAdvanced());
        var between = DateTime.UtcNow;
        Thread.Sleep(20);
        tracker.Register(3, 101);
        tracker.Complete(3, 101);
        Assert.Equal([(3, 102L)], tracker.TakeAdvanced());

        Assert.Equal(101, tracker.PositionsAt(between)[3]);
        Assert.Equal(102, tracker.PositionsAt(DateTime.UtcNow)[3]);
        Assert.Equal(100, tracker.PositionsAt(DateTime.UtcNow.AddHours(-1))[3]);
    }
}
