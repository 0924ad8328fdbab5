using System.Diagnostics;
using KafkaSync.Engine.Link;
using Xunit;

namespace KafkaSync.Engine.Tests.Link;

public sealed class AdaptiveLevelTests
{
    [Fact]
    public void A_step_up_that_does_not_shrink_the_output_is_undone_and_not_retried_at_once()
    {
        var level = new AdaptiveLevel(1, enabled: true, min: 1, max: 9);
        var levels = new List<int>();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            // Link-bound, and every level gives the same 4:1.
            level.Observe(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20), rawBytes: 1 << 20, wireBytes: 1 << 18);
            levels.Add(level.Level);
            Thread.Sleep(20);
        }

        Assert.Contains(3, levels);
        Assert.Equal(1, level.Level);
        Assert.True(levels.Count(l => l > 1) < levels.Count / 2, string.Join(",", levels));
    }

    [Fact]
    public void A_step_up_that_shrinks_the_output_is_kept()
    {
        var level = new AdaptiveLevel(1, enabled: true, min: 1, max: 9);
        var deadline = Stopwatch.StartNew();
        while (level.Level < 5 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            // Each level shrinks the output by a tenth.
            var wire = (long)((1 << 20) * Math.Pow(0.9, level.Level));
            level.Observe(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20), rawBytes: 1 << 20, wireBytes: wire);
            Thread.Sleep(20);
        }

        Assert.True(level.Level >= 5);
        Assert.True(level.FrameBytes > 1 << 20);
    }

    [Fact]
    public void Frames_grow_to_their_largest_before_the_level_steps_up()
    {
        var level = new AdaptiveLevel(1, enabled: true, min: 1, max: 9, frameBytes: 1 << 20, maxFrameBytes: 16 << 20);
        var seen = new List<(int Level, int FrameBytes)>();
        var deadline = Stopwatch.StartNew();
        while (level.Level == 1 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            // Link-bound; larger frames shrink the output, as the columnar layout does.
            var wire = (long)((1 << 20) * (0.3 - (0.01 * Math.Log2(level.FrameBytes >> 20))));
            level.Observe(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20), rawBytes: 1 << 20, wireBytes: wire);
            seen.Add((level.Level, level.FrameBytes));
            Thread.Sleep(20);
        }

        Assert.True(level.Level > 1, "the level never stepped up");
        Assert.All(seen.Where(s => s.Level > 1), s => Assert.Equal(8 << 20, s.FrameBytes));
        Assert.Equal(new[] { 1 << 20, 2 << 20, 4 << 20, 8 << 20 }, seen.Select(s => s.FrameBytes).Distinct());
    }
}
