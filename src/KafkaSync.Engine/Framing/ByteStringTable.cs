namespace KafkaSync.Engine.Framing;

/// <summary>
/// Interns short byte strings (topic names, header keys) within one frame: each distinct string
/// gets the next index. Lookups hash the bytes, so they cost no allocation.
/// </summary>
internal sealed class ByteStringTable
{
    private readonly ByteColumn _bytes = new(1024);
    private readonly List<(int Start, int Length)> _entries = [];
    private readonly Dictionary<int, int> _firstByHash = [];
    private readonly List<int> _nextWithSameHash = [];
    private int _lastHit = -1;

    public int Count => _entries.Count;

    public void Reset()
    {
        _bytes.Reset();
        _entries.Clear();
        _firstByHash.Clear();
        _nextWithSameHash.Clear();
        _lastHit = -1;
    }

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            var (start, length) = _entries[index];
            return _bytes.Written.Slice(start, length);
        }
    }

    public int IndexOf(ReadOnlySpan<byte> value)
    {
        // Runs of records from the same topic are common; check the last hit before hashing.
        if (_lastHit >= 0 && this[_lastHit].SequenceEqual(value))
        {
            return _lastHit;
        }

        // Tables are usually tiny (a few topics, a few header keys): a scan beats hashing.
        if (_entries.Count <= 8)
        {
            for (var i = 0; i < _entries.Count; i++)
            {
                if (_entries[i].Length == value.Length && this[i].SequenceEqual(value))
                {
                    return _lastHit = i;
                }
            }

            if (_entries.Count < 8)
            {
                return _lastHit = Add(value, hash: null);
            }
        }

        var hash = Hash(value);
        if (_firstByHash.TryGetValue(hash, out var index))
        {
            for (var i = index; i >= 0; i = _nextWithSameHash[i])
            {
                if (this[i].SequenceEqual(value))
                {
                    return _lastHit = i;
                }
            }
        }

        return _lastHit = Add(value, hash);
    }

    private int Add(ReadOnlySpan<byte> value, int? hash)
    {
        var added = _entries.Count;
        _entries.Add((_bytes.Length, value.Length));
        _bytes.WriteBytes(value);
        _nextWithSameHash.Add(-1);
        if (added == 8)
        {
            // The table outgrew scanning: index everything so far by hash.
            for (var i = 0; i <= added; i++)
            {
                Index(i, Hash(this[i]));
            }
        }
        else if (hash is { } h)
        {
            Index(added, h);
        }

        return added;
    }

    private void Index(int entry, int hash)
    {
        _nextWithSameHash[entry] = _firstByHash.TryGetValue(hash, out var head) ? head : -1;
        _firstByHash[hash] = entry;
    }

    private static int Hash(ReadOnlySpan<byte> value)
    {
        var hash = default(HashCode);
        hash.AddBytes(value);
        return hash.ToHashCode();
    }
}
