namespace KafkaSync.Engine.Queue;

/// <summary>Named cursors and the retention they drive.</summary>
public sealed partial class DiskQueue
{
    /// <summary>Every cursor and the last seq it has finished with.</summary>
    public IReadOnlyDictionary<string, long> Cursors => _cursors.Snapshot();

    /// <summary>The last seq cursor <paramref name="name"/> has finished with; 0 when it was never set.</summary>
    public long GetCursor(string name) => _cursors.Get(name);

    /// <summary>
    /// Records, atomically and durably, that cursor <paramref name="name"/> has finished with every
    /// seq up to <paramref name="seq"/>. Segments that every cursor has passed are then deleted,
    /// which frees capacity for appends waiting on it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seq"/> is negative or not yet appended.</exception>
    /// <exception cref="IOException">The cursor could not be saved (for example, the disk is full: <see cref="DiskFull"/> then says so); it keeps its old value.</exception>
    public void SetCursor(string name, long seq)
    {
        ThrowIfDisposed();
        var last = NextSeq - 1;
        if (seq < 0 || seq > last)
        {
            throw new ArgumentOutOfRangeException(nameof(seq), seq, $"Cursor '{name}' can be set from 0 to {last} (the last appended seq).");
        }

        try
        {
            _cursors.Set(name, seq);
        }
        catch (IOException ex) when (DiskSpace.IsFull(ex))
        {
            // The cursor keeps its old value (on disk and here); the caller saves it again later.
            NoteDiskFull("saving cursor '" + name + "'");
            throw;
        }

        ClearDiskFull(cursorOnly: true);
        ApplyRetention();
    }

    private void ApplyRetention()
    {
        var min = _cursors.Min();
        if (min is null)
        {
            return;
        }

        var removed = new List<Segment>();
        lock (_gate)
        {
            // Only whole, fully written segments go: never the tail, never one the flusher has not finished.
            while (_segments.Count > 1
                && _segments[1].FirstSeq - 1 <= min.Value
                && _segments[0].DurableLength == _segments[0].Length
                && _segments[1].FirstSeq <= _durableSeq + 1)
            {
                removed.Add(_segments[0]);
                _retainedBytes -= _segments[0].Length;
                _segments.RemoveAt(0);
            }
        }

        if (removed.Count == 0)
        {
            return;
        }

        foreach (var segment in removed)
        {
            File.Delete(segment.Path);
            File.Delete(segment.IndexPath);
        }

        _spaceSignal.Set();
    }
}
