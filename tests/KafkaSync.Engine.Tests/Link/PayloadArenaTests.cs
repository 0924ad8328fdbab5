using KafkaSync.Engine.Link;

namespace KafkaSync.Engine.Tests.Link;

public sealed class PayloadArenaTests
{
    [Fact]
    public void Copies_stay_intact_until_reset_and_the_blocks_are_reused_after_it()
    {
        var arena = new PayloadArena();
        var payloads = Enumerable.Range(0, 100).Select(i => Enumerable.Repeat((byte)i, 10_000 + i).ToArray()).ToList();
        payloads.Add([]);
        payloads.Add(new byte[300_000]); // larger than a block: a copy of its own

        var copies = payloads.Select(p => arena.Copy(p)).ToList();
        Assert.All(payloads.Zip(copies), pair => Assert.Equal(pair.First, pair.Second.ToArray()));

        arena.Reset();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = payloads.Take(100).Select(p => arena.Copy(p)).ToList();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.All(payloads.Zip(again), pair => Assert.Equal(pair.First, pair.Second.ToArray()));
        Assert.True(allocated < 100_000, $"copying 1 MB again after the reset allocated {allocated:N0} bytes");
    }
}
