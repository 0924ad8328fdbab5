using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>Queries in flight per node, counted by a balancer and read by the monitor.</summary>
internal sealed class ReadCounters
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> counts = new(StringComparer.Ordinal);

    public int Get(string node) => counts.TryGetValue(node, out var box) ? Volatile.Read(ref box.Value) : 0;

    public void Enter(string node) => Interlocked.Increment(ref counts.GetOrAdd(node, _ => new StrongBox<int>()).Value);

    public void Leave(string node) => Interlocked.Decrement(ref counts.GetOrAdd(node, _ => new StrongBox<int>()).Value);
}
