using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Framing;

/// <summary>
/// Splits serialized records (<see cref="KafkaRecordSerializer"/>'s format) into columns, grouped by
/// topic and partition (see <see cref="Columns"/>). A payload is split only if rebuilding it gives the
/// same bytes (format 1, minimal varints, no trailing bytes); anything else is kept whole, so every
/// payload round-trips exactly. Holds reusable buffers: one per encoder.
/// </summary>
internal sealed partial class ColumnarWriter
{
    private const int ColumnCount = (int)Columns.FieldValues + 1;
    private readonly ByteColumn[] _columns = Enumerable.Range(0, ColumnCount).Select(_ => new ByteColumn()).ToArray();
    private readonly ByteStringTable _topics = new();
    private readonly ByteStringTable _headerKeys = new();
    private readonly FieldColumnWriter _fields = new();
    private readonly Dictionary<ulong, int> _groupIds = [];
    private readonly List<ulong> _groupKeys = [];
    private Parsed[] _parsed = new Parsed[1024];
    private ParsedHeader[] _headers = new ParsedHeader[4096];
    private int[] _order = new int[1024];
    private int[] _rank = [];
    private int[] _groupStart = [];
    private int _headerCount;
    private bool _fieldColumns;

    /// <summary>Writes the layout of <paramref name="records"/> to <paramref name="output"/>.</summary>
    /// <param name="records">The frame's records.</param>
    /// <param name="output">Where the layout goes.</param>
    /// <param name="fieldColumns">Take JSON-like values apart into templates and field columns
    /// (<see cref="FieldColumnWriter"/>); the frame must then carry <see cref="FrameFlags.FieldColumns"/>.</param>
    public void Write(IReadOnlyList<QueueRecord> records, ByteColumn output, bool fieldColumns)
    {
        _fieldColumns = fieldColumns;
        _fields.Reset();
        foreach (var column in _columns)
        {
            column.Reset();
        }

        _topics.Reset();
        _headerKeys.Reset();
        _groupIds.Clear();
        _groupKeys.Clear();
        _headerCount = 0;
        if (_parsed.Length < records.Count)
        {
            _parsed = new Parsed[records.Count];
            _order = new int[records.Count];
        }

        for (var i = 0; i < records.Count; i++)
        {
            var mark = _headerCount;
            if (!TryParse(records[i].Payload.Span, out _parsed[i]))
            {
                _headerCount = mark;
                _parsed[i] = new Parsed { Group = -1 };
            }
        }

        RankGroups();
        WriteGroupColumn(records.Count);
        StoreInGroupOrder(records);

        var tables = Column(Columns.Tables);
        WriteTable(tables, _topics);
        WriteTable(tables, _headerKeys);
        tables.WriteVarInt((ulong)_groupKeys.Count);
        for (var rank = 0; rank < _groupKeys.Count; rank++)
        {
            var key = _groupKeys[_groupStart[rank]];
            tables.WriteVarInt(key >> 32);
            tables.WriteVarInt(key & uint.MaxValue);
        }

        if (fieldColumns)
        {
            _fields.Write(records, Column(Columns.Templates), Column(Columns.FieldLengths), Column(Columns.FieldValues));
        }

        var columns = fieldColumns ? ColumnCount : (int)Columns.Opaque + 1;
        for (var c = 0; c < columns; c++)
        {
            output.WriteVarInt((ulong)_columns[c].Length);
        }

        for (var c = 0; c < columns; c++)
        {
            output.WriteBytes(_columns[c].Written);
        }
    }

    private ByteColumn Column(Columns column) => _columns[(int)column];

    /// <summary>Orders the groups by topic index, then partition; <c>_rank[g]</c> is group g's place.</summary>
    private void RankGroups()
    {
        var count = _groupKeys.Count;
        if (_rank.Length < count)
        {
            _rank = new int[Math.Max(count, 64)];
            _groupStart = new int[Math.Max(count, 64)];
        }

        // _groupStart temporarily holds the group ids sorted by key (keys are topic << 32 | partition).
        for (var g = 0; g < count; g++)
        {
            _groupStart[g] = g;
        }

        var keys = _groupKeys;
        Array.Sort(_groupStart, 0, count, Comparer<int>.Create((a, b) => keys[a].CompareTo(keys[b])));
        for (var rank = 0; rank < count; rank++)
        {
            _rank[_groupStart[rank]] = rank;
        }
    }

    private void WriteGroupColumn(int count)
    {
        var column = Column(Columns.Group);
        for (var i = 0; i < count; i++)
        {
            var group = _parsed[i].Group;
            column.WriteVarInt(group < 0 ? 0UL : (ulong)_rank[group] + 1);
        }
    }

    private void StoreInGroupOrder(IReadOnlyList<QueueRecord> records)
    {
        // Counting sort by rank, stable in seq order; the opaque records go last, in their own column.
        var groups = _groupKeys.Count;
        Span<int> next = groups <= 256 ? stackalloc int[groups + 1] : new int[groups + 1];
        next.Clear();
        for (var i = 0; i < records.Count; i++)
        {
            var group = _parsed[i].Group;
            next[group < 0 ? groups : _rank[group]]++;
        }

        var position = 0;
        for (var r = 0; r <= groups; r++)
        {
            var size = next[r];
            next[r] = position;
            position += size;
        }

        for (var i = 0; i < records.Count; i++)
        {
            var group = _parsed[i].Group;
            _order[next[group < 0 ? groups : _rank[group]]++] = i;
        }

        var lastOffset = new long[groups];
        long lastTimestamp = 0;
        for (var j = 0; j < records.Count; j++)
        {
            var i = _order[j];
            var payload = records[i].Payload.Span;
            ref var p = ref _parsed[i];
            if (p.Group < 0)
            {
                Column(Columns.Opaque).WriteVarInt((ulong)payload.Length);
                Column(Columns.Opaque).WriteBytes(payload);
                continue;
            }

            var rank = _rank[p.Group];
            Column(Columns.OffsetDelta).WriteVarInt(VarInt.ZigZag(unchecked(p.Offset - lastOffset[rank])));
            lastOffset[rank] = p.Offset;
            Column(Columns.TimestampDelta).WriteVarInt(VarInt.ZigZag(unchecked(p.Timestamp - lastTimestamp)));
            lastTimestamp = p.Timestamp;
            Column(Columns.TimestampType).WriteByte(p.TimestampType);
            WriteNullable(payload, p.Key, Columns.KeyLength, Columns.Keys);
            WriteValue(payload, p.Value, i);
            Column(Columns.HeaderCount).WriteVarInt((ulong)p.HeaderCount);
            for (var h = p.HeaderStart; h < p.HeaderStart + p.HeaderCount; h++)
            {
                Column(Columns.HeaderKeyIndex).WriteVarInt((ulong)_headers[h].KeyIndex);
                WriteNullable(payload, _headers[h].Value, Columns.HeaderValueLength, Columns.HeaderValues);
            }
        }
    }

    /// <summary>The value: taken apart into its template's fields when it can be, else whole.</summary>
    private void WriteValue(ReadOnlySpan<byte> payload, Slice value, int record)
    {
        if (_fieldColumns)
        {
            var template = value.Start < 0 ? -1 : _fields.TryAdd(payload.Slice(value.Start, value.Length), record, value.Start);
            Column(Columns.ValueTemplate).WriteVarInt((ulong)(template + 1));
            if (template >= 0)
            {
                return;
            }
        }

        WriteNullable(payload, value, Columns.ValueLength, Columns.Values);
    }

    private void WriteNullable(ReadOnlySpan<byte> payload, Slice slice, Columns lengths, Columns bytes)
    {
        if (slice.Start < 0)
        {
            Column(lengths).WriteByte(0);
            return;
        }

        Column(lengths).WriteVarInt((ulong)slice.Length + 1);
        Column(bytes).WriteBytes(payload.Slice(slice.Start, slice.Length));
    }

    private static void WriteTable(ByteColumn output, ByteStringTable table)
    {
        output.WriteVarInt((ulong)table.Count);
        for (var i = 0; i < table.Count; i++)
        {
            output.WriteVarInt((ulong)table[i].Length);
            output.WriteBytes(table[i]);
        }
    }

    /// <summary>Where a nullable byte field lies in its payload; Start -1 means null.</summary>
    private readonly record struct Slice(int Start, int Length);

    private struct Parsed
    {
        public int Group;
        public long Offset;
        public long Timestamp;
        public byte TimestampType;
        public Slice Key;
        public Slice Value;
        public int HeaderStart;
        public int HeaderCount;
    }

    private readonly record struct ParsedHeader(int KeyIndex, Slice Value);
}
