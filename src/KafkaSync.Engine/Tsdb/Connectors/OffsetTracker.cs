namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// Which offset of each partition may be committed while several batches are in flight at once:
/// the lowest offset not yet written, so a partition's offset moves past a record only when
/// every earlier record of it is written (or dead-lettered). Also remembers when each position
/// was reached, so a node that lost its last acknowledged writes can be rewound by time.
/// Used by the connector's consume thread only.
/// </summary>
internal sealed class OffsetTracker
{
    private readonly Dictionary<int, PartitionState> partitions = [];

    /// <summary>Starts tracking <paramref name="partition"/> at its committed position.</summary>
    public void Reset(int partition, long position)
    {
        var state = new PartitionState { Next = position, Committed = position };
        state.History.Add((DateTime.UtcNow, position));
        partitions[partition] = state;
    }

    /// <summary>Forgets every partition (a new set is about to be assigned).</summary>
    public void Clear() => partitions.Clear();

    /// <summary>Notes a consumed record; offsets of a partition arrive in increasing order (the tracker is reset after a seek).</summary>
    public void Register(int partition, long offset)
    {
        var state = partitions[partition];
        state.Pending.Enqueue(offset);
        state.Next = Math.Max(state.Next, offset + 1);
    }

    public void Complete(int partition, long offset)
    {
        if (!partitions.TryGetValue(partition, out var state))
        {
            return;
        }

        // Finished records wait in Done until every earlier one has finished too.
        state.Done.Add(offset);
        while (state.Pending.TryPeek(out var first) && state.Done.Remove(first))
        {
            state.Pending.Dequeue();
        }
    }

    public bool IsTracked(int partition) => partitions.ContainsKey(partition);

    /// <summary>The offset after the last record seen of <paramref name="partition"/>.</summary>
    public long NextOffset(int partition) => partitions.TryGetValue(partition, out var state) ? state.Next : 0;

    /// <summary>Positions that moved since the last commit; marks them committed.</summary>
    public List<(int Partition, long Position)> TakeAdvanced()
    {
        var now = DateTime.UtcNow;
        var advanced = new List<(int, long)>();
        foreach (var (partition, state) in partitions)
        {
            var position = state.Pending.TryPeek(out var first) ? first : state.Next;
            if (position > state.Committed)
            {
                state.Committed = position;
                state.History.Add((now, position));
                Prune(state.History, now);
                advanced.Add((partition, position));
            }
        }

        return advanced;
    }

    /// <summary>The committed position each partition had at <paramref name="at"/> (the oldest known if earlier).</summary>
    public Dictionary<int, long> PositionsAt(DateTime at)
    {
        var result = new Dictionary<int, long>();
        foreach (var (partition, state) in partitions)
        {
            var position = state.History[0].Position;
            foreach (var (time, p) in state.History)
            {
                if (time > at)
                {
                    break;
                }

                position = p;
            }

            result[partition] = Math.Min(position, state.Committed);
        }

        return result;
    }

    /// <summary>Keeps about an hour of history, and always the entry the oldest rewind could need.</summary>
    private static void Prune(List<(DateTime Time, long Position)> history, DateTime now)
    {
        if (history.Count > 4096)
        {
            var cutoff = now - TimeSpan.FromHours(1);
            var drop = history.FindIndex(h => h.Time >= cutoff) - 1;
            if (drop > 0)
            {
                history.RemoveRange(0, drop);
            }
        }
    }

    private sealed class PartitionState
    {
        /// <summary>Registered offsets not yet popped, in order.</summary>
        public Queue<long> Pending { get; } = new();

        /// <summary>Finished offsets behind an unfinished one.</summary>
        public HashSet<long> Done { get; } = [];

        public List<(DateTime Time, long Position)> History { get; } = [];

        public long Next { get; set; }

        public long Committed { get; set; }
    }
}
