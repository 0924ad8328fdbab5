namespace KafkaSync.Engine.Offsets;

/// <summary>Translation of committed source offsets into target offsets.</summary>
public sealed partial class OffsetMap
{
    /// <summary>
    /// For every target partition the map knows, the offset a consumer group should resume from
    /// there, given the group's committed offsets on the source (the next offset to read, as Kafka
    /// stores them). The rule: resume at the first copied record the group has not consumed on the
    /// source. A source offset in a gap (compaction, transaction markers) resumes at the next copied
    /// record; one beyond what was copied resumes after the last copied record and says so
    /// (<see cref="TranslationStatus.CopyBehind"/>) — the position is never guessed forward.
    /// </summary>
    /// <param name="committed">The group's committed source offsets by (topic, partition); partitions it never committed are absent.</param>
    public IReadOnlyList<PartitionTranslation> Translate(IReadOnlyDictionary<(string Topic, int Partition), long> committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        var byTarget = _bySource.Values.SelectMany(r => r)
            .GroupBy(r => (r.TargetTopic, r.TargetPartition))
            .OrderBy(g => g.Key.TargetTopic, StringComparer.Ordinal).ThenBy(g => g.Key.TargetPartition);
        var results = new List<PartitionTranslation>();
        foreach (var target in byTarget)
        {
            results.Add(TranslateOne(target.Key.TargetTopic, target.Key.TargetPartition, target.ToList(), committed));
        }

        return results;
    }

    private PartitionTranslation TranslateOne(string topic, int partition, List<OffsetRange> ranges, IReadOnlyDictionary<(string Topic, int Partition), long> committed)
    {
        var frontier = ranges.Max(r => r.TargetLast) + 1;
        var sources = ranges.Select(r => (r.SourceTopic, r.SourcePartition)).Distinct().OrderBy(s => s.SourceTopic, StringComparer.Ordinal).ThenBy(s => s.SourcePartition).ToList();
        var (firstTopic, firstPartition) = sources[0];
        long? firstOffset = committed.TryGetValue(sources[0], out var c0) ? c0 : null;
        long resume = long.MaxValue, notCopied = 0;
        foreach (var source in sources)
        {
            if (!committed.TryGetValue(source, out var next))
            {
                return new(topic, partition, null, TranslationStatus.NoSourceOffset, source.SourceTopic, source.SourcePartition, null, 0,
                    $"the group has no committed offset on {source.SourceTopic}[{source.SourcePartition}]");
            }

            var all = RangesOf(source).ToList();
            var first = all.Min(r => r.SourceFirst);
            if (next < first)
            {
                return new(topic, partition, null, TranslationStatus.BeforeMap, source.SourceTopic, source.SourcePartition, next, 0,
                    $"offset {next} is older than the first record the map knows ({first}); those records were copied before the map began or never");
            }

            // The first copied record of this source partition, in this target partition, that the group has not consumed.
            var here = ranges.Where(r => r.SourceTopic == source.SourceTopic && r.SourcePartition == source.SourcePartition && r.SourceLast >= next)
                .Select(r => r.TargetFirst + Math.Max(0, next - r.SourceFirst))
                .DefaultIfEmpty(frontier).Min();
            resume = Math.Min(resume, here);
            notCopied += Math.Max(0, next - (all.Max(r => r.SourceLast) + 1));
        }

        if (sources.Count > 1)
        {
            return new(topic, partition, resume, TranslationStatus.Mixed, firstTopic, firstPartition, firstOffset, notCopied,
                $"{sources.Count} source partitions land here ({string.Join(", ", sources.Select(s => $"{s.SourceTopic}[{s.SourcePartition}]"))}); the earliest position is taken, so records of the others may be read again");
        }

        return notCopied > 0
            ? new(topic, partition, resume, TranslationStatus.CopyBehind, firstTopic, firstPartition, firstOffset, notCopied,
                $"{notCopied} source offset(s) consumed on the source are not copied yet (or are gaps); resuming after the last copied record, they are read again if they arrive")
            : new(topic, partition, resume, TranslationStatus.Exact, firstTopic, firstPartition, firstOffset, 0, "");
    }
}
