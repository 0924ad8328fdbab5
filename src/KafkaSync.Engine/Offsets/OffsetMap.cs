namespace KafkaSync.Engine.Offsets;

/// <summary>
/// An immutable view of the offset map a target agent keeps beside its queue: for every source
/// partition, which source offsets were copied to which target offsets, as ranges. Only records
/// whose delivery the target cluster confirmed (and, in exactly-once mode, whose transaction
/// committed) are in it. Translates a consumer group's committed source offsets into the target
/// offsets it should resume from.
/// </summary>
public sealed partial class OffsetMap
{
    /// <summary>The map's file in the target queue folder.</summary>
    public const string FileName = "offset-map.log";

    private readonly Dictionary<(string Topic, int Partition), OffsetRange[]> _bySource;

    internal OffsetMap(Dictionary<(string Topic, int Partition), OffsetRange[]> bySource) => _bySource = bySource;

    /// <summary>A map that knows no record.</summary>
    public static OffsetMap Empty { get; } = new([]);

    /// <summary>Every range, by source topic, partition and offset.</summary>
    public IReadOnlyList<OffsetRange> Ranges =>
        _bySource.OrderBy(p => p.Key.Topic, StringComparer.Ordinal).ThenBy(p => p.Key.Partition).SelectMany(p => p.Value).ToList();

    /// <summary>The source partitions the map knows, by topic and partition.</summary>
    public IReadOnlyList<(string Topic, int Partition)> SourcePartitions =>
        _bySource.Where(p => p.Value.Length > 0).Select(p => p.Key).OrderBy(k => k.Topic, StringComparer.Ordinal).ThenBy(k => k.Partition).ToList();

    /// <summary>The number of ranges (what the map's size depends on).</summary>
    public int RangeCount => _bySource.Values.Sum(r => r.Length);

    /// <summary>The number of source records the map covers.</summary>
    public long RecordCount => _bySource.Values.Sum(r => r.Sum(x => x.Count));

    /// <summary>Reads the map a target agent keeps in <paramref name="queuePath"/> (also while it runs).</summary>
    /// <remarks>
    /// An exactly-once transaction whose commit the file does not confirm yet is left out: the map
    /// read is then a little behind, which makes translations resume earlier, never later.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The folder has no offset map.</exception>
    public static OffsetMap Load(string queuePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(queuePath);
        var path = Path.Combine(queuePath, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No offset map at '{path}'; give the queue folder of a target agent (queue.path in its config).", path);
        }

        return OffsetMapLog.Read(path, committedSeq: 0).Table.ToMap();
    }

    /// <summary>The target (topic, partition, offset) of one copied source record; null when the map does not hold it.</summary>
    public (string Topic, int Partition, long Offset)? TargetOf(string sourceTopic, int sourcePartition, long sourceOffset)
    {
        if (!_bySource.TryGetValue((sourceTopic, sourcePartition), out var ranges))
        {
            return null;
        }

        foreach (var r in ranges)
        {
            if (r.SourceFirst <= sourceOffset && sourceOffset <= r.SourceLast)
            {
                return (r.TargetTopic, r.TargetPartition, r.TargetFirst + sourceOffset - r.SourceFirst);
            }
        }

        return null;
    }

    internal IEnumerable<OffsetRange> RangesOf((string Topic, int Partition) source) =>
        _bySource.TryGetValue(source, out var ranges) ? ranges : [];
}
