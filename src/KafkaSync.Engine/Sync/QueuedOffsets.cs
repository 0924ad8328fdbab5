using System.Text.Json;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// The highest source offset the queue holds for each partition, so a restarted source agent
/// skips what it already queued. Rebuilt on open from a small checkpoint file plus a scan of
/// only the records appended after the checkpoint's seq; a queue cursor at that seq keeps
/// retention from deleting those records before the next checkpoint.
/// </summary>
internal sealed class QueuedOffsets
{
    public const string FileName = "source-offsets.json";
    public const string CursorName = "source-offsets";

    private readonly Dictionary<(string Topic, int Partition), long> _last = [];
    private readonly string _path;

    private QueuedOffsets(string folder) => _path = Path.Combine(folder, FileName);

    public long CheckpointSeq { get; private set; }

    public long ScannedRecords { get; private set; }

    public static QueuedOffsets Load(DiskQueue queue, string folder)
    {
        var offsets = new QueuedOffsets(folder);
        if (File.Exists(offsets._path))
        {
            var saved = JsonSerializer.Deserialize<Saved>(File.ReadAllBytes(offsets._path))
                ?? throw new InvalidDataException($"'{offsets._path}' is empty.");
            offsets.CheckpointSeq = saved.Seq;
            foreach (var p in saved.Partitions)
            {
                offsets._last[(p.Topic, p.Partition)] = p.Offset;
            }
        }

        using var reader = queue.OpenReader(Math.Max(offsets.CheckpointSeq + 1, queue.FirstSeq));
        while (reader.TryRead(out var record))
        {
            var r = KafkaRecordSerializer.Deserialize(record.Payload.Span);
            if (!TopicDescriptor.IsDescriptor(r))
            {
                offsets.Add(r.Topic, r.Partition, r.Offset);
            }

            offsets.ScannedRecords++;
        }

        return offsets;
    }

    public bool Holds(string topic, int partition, long offset) =>
        _last.TryGetValue((topic, partition), out var last) && offset <= last;

    public long? Last(string topic, int partition) =>
        _last.TryGetValue((topic, partition), out var last) ? last : null;

    public void Add(string topic, int partition, long offset)
    {
        if (!_last.TryGetValue((topic, partition), out var last) || offset > last)
        {
            _last[(topic, partition)] = offset;
        }
    }

    /// <summary>Persists the map as of <paramref name="durableSeq"/> (every record up to it is in the map).</summary>
    public void Save(DiskQueue queue, long durableSeq)
    {
        var saved = new Saved(durableSeq, _last.Select(kv => new SavedPartition(kv.Key.Topic, kv.Key.Partition, kv.Value)).ToList());
        var temp = _path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, saved);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
        CheckpointSeq = durableSeq;
        queue.SetCursor(CursorName, durableSeq);
    }

    private sealed record Saved(long Seq, List<SavedPartition> Partitions);

    private sealed record SavedPartition(string Topic, int Partition, long Offset);
}
