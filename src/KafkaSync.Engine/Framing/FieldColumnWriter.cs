using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Framing;

/// <summary>
/// Splits JSON-like values into a template and field columns. A value that starts with <c>{</c> or
/// <c>[</c> is scanned once: object keys, punctuation and <c>true</c>/<c>false</c>/<c>null</c> stay
/// in its template, and each string's contents and each number are cut out, leaving a NUL marker.
/// Records of one schema share a template, so field names cross the link once per frame instead of
/// once per record, and each field's values sit together in a column of their own (all order ids,
/// then all timestamps…), where zstd finds far more in common than across a whole record.
/// Nothing is validated as JSON: the cut bytes go back where they were, so any value without a NUL
/// byte comes back byte for byte; one with a NUL, or one that does not start like JSON, is stored whole.
/// </summary>
internal sealed class FieldColumnWriter
{
    /// <summary>Templates a frame may hold; values of further shapes are stored whole.</summary>
    public const int MaxTemplates = 1024;

    /// <summary>The marker a template holds where a field was cut out.</summary>
    public const byte Marker = 0;

    private readonly ByteStringTable _templates = new();
    private readonly ByteColumn _scratch = new(1024);
    private readonly List<int> _slotCounts = [];
    private Slot[] _slots = new Slot[8192];
    private Entry[] _entries = new Entry[1024];
    private int[] _sorted = new int[1024];
    private int _slotCount;
    private int _entryCount;

    /// <summary>Forgets the previous frame.</summary>
    public void Reset()
    {
        _templates.Reset();
        _slotCounts.Clear();
        _slotCount = 0;
        _entryCount = 0;
    }

    /// <summary>
    /// Takes <paramref name="value"/> (at <paramref name="start"/> in record <paramref name="record"/>'s payload)
    /// apart if it has a template's shape; returns the template's number, or -1 to store the value whole.
    /// Values must be offered in the order the reader rebuilds them.
    /// </summary>
    public int TryAdd(ReadOnlySpan<byte> value, int record, int start)
    {
        if (value.IsEmpty || (value[0] != (byte)'{' && value[0] != (byte)'['))
        {
            return -1;
        }

        var slotMark = _slotCount;
        if (!Scan(value, record, start))
        {
            _slotCount = slotMark;
            return -1;
        }

        var known = _templates.Count;
        var template = _templates.IndexOf(_scratch.Written);
        if (template == known)
        {
            _slotCounts.Add(_slotCount - slotMark);
        }

        // Past the cap the table still grows (it cannot drop an entry), but only the first
        // MaxTemplates are written: values of later shapes go whole.
        if (template >= MaxTemplates)
        {
            _slotCount = slotMark;
            return -1;
        }

        if (_entryCount == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[_entryCount++] = new Entry(template, slotMark);
        return template;
    }

    /// <summary>
    /// Writes the template table to <paramref name="templates"/>, then every cut field, template by
    /// template, field by field, in the order the values were offered: lengths to
    /// <paramref name="lengths"/>, bytes to <paramref name="bytes"/>.
    /// </summary>
    public void Write(IReadOnlyList<QueueRecord> records, ByteColumn templates, ByteColumn lengths, ByteColumn bytes)
    {
        var count = Math.Min(_templates.Count, MaxTemplates);
        templates.WriteVarInt((ulong)count);
        for (var t = 0; t < count; t++)
        {
            templates.WriteVarInt((ulong)_templates[t].Length);
            templates.WriteBytes(_templates[t]);
        }

        // Counting sort of the entries by template, stable in the order they were offered.
        Span<int> next = count <= 256 ? stackalloc int[count + 1] : new int[count + 1];
        next.Clear();
        for (var e = 0; e < _entryCount; e++)
        {
            next[_entries[e].Template + 1]++;
        }

        for (var t = 1; t <= count; t++)
        {
            next[t] += next[t - 1];
        }

        if (_sorted.Length < _entryCount)
        {
            _sorted = new int[Math.Max(_entryCount, _sorted.Length * 2)];
        }

        var sorted = _sorted;
        for (var e = 0; e < _entryCount; e++)
        {
            sorted[next[_entries[e].Template]++] = _entries[e].FirstSlot;
        }

        var begin = 0;
        for (var t = 0; t < count; t++)
        {
            var end = next[t];
            for (var k = 0; k < _slotCounts[t]; k++)
            {
                for (var e = begin; e < end; e++)
                {
                    var slot = _slots[sorted[e] + k];
                    lengths.WriteVarInt((ulong)slot.Length);
                    bytes.WriteBytes(records[slot.Record].Payload.Span.Slice(slot.Start, slot.Length));
                }
            }

            begin = end;
        }
    }

    /// <summary>Builds the value's template in the scratch buffer and records its cut fields.</summary>
    private bool Scan(ReadOnlySpan<byte> value, int record, int start)
    {
        _scratch.Reset();
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            if (c == Marker)
            {
                return false;
            }

            if (c == (byte)'"')
            {
                var close = ClosingQuote(value, i + 1);
                if (close < 0)
                {
                    return false;
                }

                if (IsKey(value, close + 1))
                {
                    _scratch.WriteBytes(value[i..(close + 1)]);
                }
                else
                {
                    _scratch.WriteByte((byte)'"');
                    _scratch.WriteByte(Marker);
                    _scratch.WriteByte((byte)'"');
                    AddSlot(record, start + i + 1, close - i - 1);
                }

                i = close + 1;
            }
            else if (c == (byte)'-' || (uint)(c - '0') <= 9)
            {
                var end = i + 1;
                while (end < value.Length && IsNumberByte(value[end]))
                {
                    end++;
                }

                _scratch.WriteByte(Marker);
                AddSlot(record, start + i, end - i);
                i = end;
            }
            else
            {
                _scratch.WriteByte(c);
                i++;
            }
        }

        return true;
    }

    /// <summary>The index of the quote closing a string whose contents start at <paramref name="from"/>, or -1.</summary>
    private static int ClosingQuote(ReadOnlySpan<byte> value, int from)
    {
        // A NUL anywhere, escaped or not, refuses the value: in a key it would land in the template.
        var escaped = false;
        for (var j = from; j < value.Length; j++)
        {
            var c = value[j];
            if (c == Marker)
            {
                return -1;
            }

            if (escaped)
            {
                escaped = false;
            }
            else if (c == (byte)'\\')
            {
                escaped = true;
            }
            else if (c == (byte)'"')
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>True when the next byte after spaces is a colon: the string was an object key.</summary>
    private static bool IsKey(ReadOnlySpan<byte> value, int from)
    {
        for (var j = from; j < value.Length; j++)
        {
            switch (value[j])
            {
                case (byte)':':
                    return true;
                case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool IsNumberByte(byte c) =>
        (uint)(c - '0') <= 9 || c is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-';

    private void AddSlot(int record, int start, int length)
    {
        if (_slotCount == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        _slots[_slotCount++] = new Slot(record, start, length);
    }

    /// <summary>A cut field: where its bytes lie in which record's payload.</summary>
    private readonly record struct Slot(int Record, int Start, int Length);

    /// <summary>A value taken apart: its template and where its fields begin in the slot list.</summary>
    private readonly record struct Entry(int Template, int FirstSlot);
}
