using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Works out which source offsets a lost seq range held, from the Kafka records the queue still
/// has on either side of it: per partition, everything after the last offset before the range and
/// before the first offset after it. Reads a bounded number of records around each range, and only
/// when the list of lost ranges changes.
/// </summary>
internal sealed class LostRecordsFinder(string? sourceBootstrap)
{
    /// <summary>Records read on each side of a range: enough for every busy partition to show up, bounded in time.</summary>
    private const int Window = 20_000;

    /// <summary>How often an incomplete description is worked out again while records arrive.</summary>
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private IReadOnlyList<QueueSeqRange> _known = [];
    private IReadOnlyList<LostSeqRange> _described = [];
    private readonly Dictionary<long, Dictionary<(string, int), long>> _capturedBefore = [];
    private readonly Dictionary<long, Dictionary<(string, int), long>> _capturedAfter = [];
    private bool _complete = true;
    private long _describedAtDurable;
    private DateTime _describedAt;

    /// <summary>The lost ranges of <paramref name="queue"/>, described; cached until the ranges change.</summary>
    public IReadOnlyList<LostSeqRange> Describe(DiskQueue? queue)
    {
        if (queue is null)
        {
            return _described;
        }

        IReadOnlyList<QueueSeqRange> lost;
        long durable;
        try
        {
            lost = queue.LostSeqs;
            durable = queue.DurableSeq;
        }
        catch (ObjectDisposedException)
        {
            return _described;
        }

        lock (_gate)
        {
            // A range declared over the link is known before the records after it arrive: describe
            // it again (now and then) until every partition seen before it shows up after it.
            var stale = !_complete && durable != _describedAtDurable && DateTime.UtcNow - _describedAt >= RetryEvery;
            if (!lost.SequenceEqual(_known) || stale)
            {
                _complete = true;
                _described = [.. lost.Select(range => DescribeOne(queue, range))];
                _known = lost;
                _describedAtDurable = durable;
                _describedAt = DateTime.UtcNow;
            }

            return _described;
        }
    }

    /// <summary>
    /// Notes the last offset of each partition before <paramref name="range"/> while those records
    /// are still in the queue (retention may remove them once the range is passed over).
    /// </summary>
    public void CaptureBefore(DiskQueue queue, QueueSeqRange range)
    {
        var before = new Dictionary<(string, int), long>();
        try
        {
            using var reader = queue.OpenReader(Math.Min(queue.NextSeq, Math.Max(queue.FirstSeq, range.First - Window)));
            while (reader.TryRead(out var record) && record.Seq < range.First)
            {
                var kafka = KafkaRecordSerializer.Deserialize(record.Payload.Span);
                if (!TopicDescriptor.IsDescriptor(kafka))
                {
                    before[(kafka.Topic, kafka.Partition)] = kafka.Offset;
                }
            }
        }
        catch (Exception ex) when (ex is QueueException or ArgumentException or InvalidDataException or ObjectDisposedException)
        {
            // Describe what was found.
        }

        lock (_gate)
        {
            _capturedBefore[range.First] = before;
            _known = []; // describe again with what was captured
        }
    }

    private LostSeqRange DescribeOne(DiskQueue queue, QueueSeqRange range)
    {
        var before = new Dictionary<(string, int), long>();
        var after = new Dictionary<(string, int), long>();
        try
        {
            using var reader = queue.OpenReader(Math.Min(queue.NextSeq, Math.Max(queue.FirstSeq, range.First - Window)));
            var afterCount = 0;
            while (afterCount < Window && reader.TryRead(out var record))
            {
                var kafka = KafkaRecordSerializer.Deserialize(record.Payload.Span);
                if (TopicDescriptor.IsDescriptor(kafka))
                {
                    continue;
                }

                var key = (kafka.Topic, kafka.Partition);
                if (record.Seq < range.First)
                {
                    before[key] = kafka.Offset;
                }
                else if (record.Seq > range.Last)
                {
                    afterCount++;
                    after.TryAdd(key, kafka.Offset);
                }
            }
        }
        catch (Exception ex) when (ex is QueueException or ArgumentException or InvalidDataException or ObjectDisposedException)
        {
            // Damage, retention or a payload that is no Kafka record: describe what was found.
        }

        // What was before the range never changes, but retention may since have freed it: keep
        // every partition ever seen there.
        if (_capturedBefore.TryGetValue(range.First, out var captured))
        {
            foreach (var (key, offset) in captured)
            {
                before.TryAdd(key, offset);
            }
        }

        _capturedBefore[range.First] = before;
        if (_capturedAfter.TryGetValue(range.First, out var seenAfter))
        {
            foreach (var (key, offset) in seenAfter)
            {
                // The first offset after the range: a later read may start past it.
                after[key] = after.TryGetValue(key, out var fresh) ? Math.Min(fresh, offset) : offset;
            }
        }

        _capturedAfter[range.First] = after;
        if (before.Keys.Any(k => !after.ContainsKey(k)))
        {
            _complete = false;
        }

        var offsets = new List<LostOffsets>();
        foreach (var ((topic, partition), last) in before.OrderBy(b => b.Key.Item1, StringComparer.Ordinal).ThenBy(b => b.Key.Item2))
        {
            if (after.TryGetValue((topic, partition), out var next) && next > last + 1)
            {
                offsets.Add(new LostOffsets(topic, partition, last + 1, next - 1, RefetchCommand(topic, partition, last + 1, next - 1)));
            }
        }

        return new LostSeqRange { First = range.First, Last = range.Last, Offsets = offsets };
    }

    private string RefetchCommand(string topic, int partition, long from, long to) =>
        string.IsNullOrEmpty(sourceBootstrap)
            ? ""
            : $"kcat -C -b {sourceBootstrap} -t {topic} -p {partition} -o {from} -c {to - from + 1} -e";
}
