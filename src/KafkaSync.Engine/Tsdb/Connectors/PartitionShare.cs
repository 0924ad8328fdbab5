namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// The partitions of the topic this service instance feeds to every node: all of them when it
/// runs alone, its share of the service group's assignment when several instances run. The
/// connectors assign these partitions themselves instead of joining a group each, so a start or
/// a restart waits for no group rebalance.
/// </summary>
/// <remarks>Set by one thread (the topic watcher or the group member), read by every connector.</remarks>
internal sealed class PartitionShare
{
    private readonly object gate = new();
    private TaskCompletionSource known = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlyList<int>? partitions;
    private int version;

    /// <summary>The partitions, or null before they are first known.</summary>
    public IReadOnlyList<int>? Partitions => partitions;

    /// <summary>Changes every time <see cref="Partitions"/> changes; connectors compare it once per pass.</summary>
    public int Version => Volatile.Read(ref version);

    /// <summary>Publishes a new share; does nothing when it is the same set.</summary>
    public void Set(IEnumerable<int> share)
    {
        var sorted = share.Distinct().Order().ToList();
        lock (gate)
        {
            if (partitions != null && partitions.SequenceEqual(sorted))
            {
                return;
            }

            partitions = sorted;
            Interlocked.Increment(ref version);
            known.TrySetResult();
        }
    }

    /// <summary>Forgets the share (the group took it away); connectors stop feeding until the next <see cref="Set"/>.</summary>
    public void Clear()
    {
        lock (gate)
        {
            if (partitions == null)
            {
                return;
            }

            partitions = null;
            Interlocked.Increment(ref version);
            known = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Waits until the share is known; false when <paramref name="timeout"/> passed first.</summary>
    public bool WaitKnown(TimeSpan timeout, CancellationToken cancellation)
    {
        Task task;
        lock (gate)
        {
            task = known.Task;
        }

        try
        {
            return task.Wait(timeout, cancellation);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
