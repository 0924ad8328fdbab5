using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Offsets;

/// <summary>
/// The target agent's side of the offset map: records each confirmed delivery, and makes the
/// changes durable in the map's file before the producer cursor moves over them (idempotent
/// mode) or before the transaction holding them commits (exactly-once mode). So whatever the
/// agent went through — stop, SIGKILL, an aborted transaction — the map on disk holds every
/// record the cursor or checkpoint counts as produced, and no record of an aborted transaction.
/// Thread-safe: delivery reports arrive on librdkafka's thread, flushes on the producer's.
/// </summary>
internal sealed class OffsetMapWriter : IDisposable
{
    private const long CompactBelowBytes = 1 << 20;
    private readonly object _gate = new();
    private readonly string _path;
    private readonly Dictionary<(string Topic, int Partition), long> _dirtyFrom = [];
    private readonly List<OffsetRange> _cuts = [];
    private RangeTable _table;
    private FileStream _file;
    private OffsetMap _published;

    private OffsetMapWriter(string path, RangeTable table, FileStream file)
    {
        _path = path;
        _table = table;
        _file = file;
        _published = table.ToMap();
    }

    /// <summary>The map as of the last durable flush (exactly-once: the last committed transaction).</summary>
    public OffsetMap Published => Volatile.Read(ref _published);

    /// <summary>Opens (or creates) the map in <paramref name="queuePath"/>, compacting it.</summary>
    /// <param name="queuePath">The target queue folder.</param>
    /// <param name="committedSeq">The last seq whose transaction committed (exactly-once), or <see cref="long.MaxValue"/>.</param>
    public static OffsetMapWriter Open(string queuePath, long committedSeq)
    {
        var path = Path.Combine(queuePath, OffsetMap.FileName);
        var (table, _) = OffsetMapLog.Read(path, committedSeq);
        // Rewriting on open drops blocks of transactions that never committed, so a later
        // checkpoint past their seq cannot bring them back.
        OffsetMapLog.Rewrite(path, table, 0);
        return new OffsetMapWriter(path, table, OpenForAppend(path));
    }

    /// <summary>Records that source offset <paramref name="sourceOffset"/> was delivered at the given target offset.</summary>
    public void Record(string sourceTopic, int sourcePartition, long sourceOffset, string targetTopic, int targetPartition, long targetOffset)
    {
        lock (_gate)
        {
            var from = _table.Record(sourceTopic, sourcePartition, sourceOffset, targetTopic, targetPartition, targetOffset, out var cutFrom);
            if (cutFrom is { } cut)
            {
                _cuts.Add(new OffsetRange(sourceTopic, sourcePartition, cut, cut, targetTopic, targetPartition, 0));
            }

            var key = (sourceTopic, sourcePartition);
            _dirtyFrom[key] = _dirtyFrom.TryGetValue(key, out var dirty) ? Math.Min(dirty, from) : from;
        }
    }

    /// <summary>
    /// Makes every change recorded so far durable (one fdatasync). <paramref name="pending"/>: the
    /// changes belong to a transaction not committed yet (confirm with <see cref="Committed"/>).
    /// </summary>
    public void Flush(long seq, bool pending)
    {
        lock (_gate)
        {
            if (_dirtyFrom.Count == 0 && _cuts.Count == 0)
            {
                return;
            }

            var upserts = _dirtyFrom.SelectMany(d => _table.RangesFrom(d.Key.Topic, d.Key.Partition, d.Value)).ToList();
            var start = _file.Length;
            try
            {
                OffsetMapLog.Append(_file, pending ? OffsetMapLog.Pending : OffsetMapLog.Applied, seq, _cuts, upserts);
                NativeSync.DataSync(_file.SafeFileHandle, _path);
            }
            catch (IOException)
            {
                // No part of this block may stay (a torn block would end the map for a reader, and
                // a later append would go after it): cut the file back; the changes stay dirty
                // here and the next flush writes them.
                CutBack(start);
                throw;
            }

            _dirtyFrom.Clear();
            _cuts.Clear();
            if (!pending)
            {
                Publish(seq);
            }
        }
    }

    /// <summary>The transaction whose changes were flushed as pending with <paramref name="seq"/> committed.</summary>
    public void Committed(long seq)
    {
        lock (_gate)
        {
            // Not synced here: the next flush syncs it; until then a reader takes the block as not committed (a safe, earlier answer).
            OffsetMapLog.Append(_file, OffsetMapLog.Committed, seq, [], []);
            Publish(seq);
        }
    }

    /// <summary>The transaction of the pending changes aborted: back to the map as of <paramref name="committedSeq"/>.</summary>
    public void Rollback(long committedSeq)
    {
        lock (_gate)
        {
            _file.Dispose();
            _dirtyFrom.Clear();
            _cuts.Clear();
            _table = OffsetMapLog.Read(_path, committedSeq).Table;
            OffsetMapLog.Rewrite(_path, _table, committedSeq);
            _file = OpenForAppend(_path);
            Volatile.Write(ref _published, _table.ToMap());
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
        }
    }

    private void Publish(long seq)
    {
        Volatile.Write(ref _published, _table.ToMap());
        // The log holds every version of each growing range; rewrite it once it is mostly history.
        var live = (long)_table.RangeCount * 64;
        if (_file.Length > CompactBelowBytes && _file.Length > 4 * live)
        {
            _file.Dispose();
            OffsetMapLog.Rewrite(_path, _table, seq);
            _file = OpenForAppend(_path);
        }
    }

    private void CutBack(long length)
    {
        try
        {
            _file.Dispose();
        }
        catch (IOException)
        {
            // Closing flushes the rest of the failed block, which may fail again; the file is closed either way.
        }

        using (var file = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete))
        {
            file.SetLength(length);
        }

        _file = OpenForAppend(_path);
    }

    private static FileStream OpenForAppend(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
}
