namespace KafkaSync.Engine.Offsets;

/// <summary>
/// The mutable ranges of every source partition, each list sorted by source offset. Records the
/// delivery of one record at a time (extending the last range in the common case), and applies
/// the entries of the map's log on load. Not thread-safe: the writer serialises access.
/// </summary>
internal sealed class RangeTable
{
    private readonly Dictionary<(string Topic, int Partition), List<OffsetRange>> _ranges = [];

    public IEnumerable<KeyValuePair<(string Topic, int Partition), List<OffsetRange>>> Partitions => _ranges;

    public int RangeCount => _ranges.Values.Sum(l => l.Count);

    /// <summary>
    /// Adds source offset → target offset. Returns the source offset from which this partition's
    /// ranges changed, and sets <paramref name="cutFrom"/> when the record had been copied before
    /// into the same target partition (a replay after a crash): the later copy wins, and the
    /// older mapping from that offset on is dropped, so a group resumes after the replay.
    /// </summary>
    public long Record(string sourceTopic, int sourcePartition, long sourceOffset, string targetTopic, int targetPartition, long targetOffset, out long? cutFrom)
    {
        cutFrom = null;
        var list = ListOf(sourceTopic, sourcePartition);
        if (list.Count > 0)
        {
            var last = list[^1];
            if (sourceOffset == last.SourceLast + 1 && targetOffset == last.TargetLast + 1 && last.SameTarget(targetTopic, targetPartition))
            {
                list[^1] = last with { SourceLast = sourceOffset };
                return last.SourceFirst;
            }
        }

        var highest = HighestSourceIn(list, targetTopic, targetPartition);
        if (sourceOffset <= highest)
        {
            Cut(list, targetTopic, targetPartition, sourceOffset);
            cutFrom = sourceOffset;
        }

        var range = new OffsetRange(sourceTopic, sourcePartition, sourceOffset, sourceOffset, targetTopic, targetPartition, targetOffset);
        Insert(list, range);
        return Math.Min(sourceOffset, FirstTrimmed(list, targetTopic, targetPartition, cutFrom));
    }

    /// <summary>Puts <paramref name="range"/> in place of the range with the same start and target, or adds it.</summary>
    public void Upsert(OffsetRange range)
    {
        var list = ListOf(range.SourceTopic, range.SourcePartition);
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].SourceFirst == range.SourceFirst && list[i].SameTarget(range.TargetTopic, range.TargetPartition))
            {
                list[i] = range;
                return;
            }

            if (list[i].SourceFirst < range.SourceFirst)
            {
                break;
            }
        }

        Insert(list, range);
    }

    /// <summary>Drops the mapping of every source offset from <paramref name="from"/> on that landed in the given target partition.</summary>
    public void Cut(string sourceTopic, int sourcePartition, string targetTopic, int targetPartition, long from) =>
        Cut(ListOf(sourceTopic, sourcePartition), targetTopic, targetPartition, from);

    /// <summary>The ranges of a source partition that start at or after <paramref name="from"/>, or contain it.</summary>
    public IEnumerable<OffsetRange> RangesFrom(string sourceTopic, int sourcePartition, long from) =>
        _ranges.TryGetValue((sourceTopic, sourcePartition), out var list) ? list.Where(r => r.SourceLast >= from) : [];

    public OffsetMap ToMap() => new(_ranges.ToDictionary(p => p.Key, p => p.Value.ToArray()));

    private List<OffsetRange> ListOf(string topic, int partition)
    {
        if (!_ranges.TryGetValue((topic, partition), out var list))
        {
            _ranges[(topic, partition)] = list = [];
        }

        return list;
    }

    private static long HighestSourceIn(List<OffsetRange> list, string targetTopic, int targetPartition)
    {
        // Ranges of one target partition never overlap and are sorted, so the last of them holds the
        // highest offset; only partitionMismatch key interleaves several targets in one list.
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].SameTarget(targetTopic, targetPartition))
            {
                return list[i].SourceLast;
            }
        }

        return -1;
    }

    private static long FirstTrimmed(List<OffsetRange> list, string targetTopic, int targetPartition, long? cutFrom)
    {
        if (cutFrom is not { } from)
        {
            return long.MaxValue;
        }

        // The range cut short keeps its start; its new end must be rewritten.
        var trimmed = list.Where(r => r.SameTarget(targetTopic, targetPartition) && r.SourceLast == from - 1).Select(r => r.SourceFirst);
        return trimmed.DefaultIfEmpty(long.MaxValue).Min();
    }

    private static void Cut(List<OffsetRange> list, string targetTopic, int targetPartition, long from)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var r = list[i];
            if (!r.SameTarget(targetTopic, targetPartition) || r.SourceLast < from)
            {
                continue;
            }

            if (r.SourceFirst >= from)
            {
                list.RemoveAt(i);
            }
            else
            {
                list[i] = r with { SourceLast = from - 1 };
            }
        }
    }

    private static void Insert(List<OffsetRange> list, OffsetRange range)
    {
        var at = list.Count;
        while (at > 0 && list[at - 1].SourceFirst > range.SourceFirst)
        {
            at--;
        }

        list.Insert(at, range);
    }
}
