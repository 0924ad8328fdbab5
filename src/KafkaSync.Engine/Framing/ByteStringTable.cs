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

        var added = _entries.Count;
        _entries.Add((_bytes.Length, value.Length));
        _bytes.WriteBytes(value);
        _nextWithSameHash.Add(_firstByHash.TryGetValue(hash, out var head) ? head : -1);
        _firstByHash[hash] = added;
        return _lastHit = added;
    }

    private static int Hash(ReadOnlySpan<byte> value)
    {
        var hash = default(HashCode);
        hash.AddBytes(value);
        return hash.ToHashCode();
    }
}
