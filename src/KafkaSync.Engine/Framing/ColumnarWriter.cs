using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Framing;

/// <summary>
/// Splits serialized records (<see cref="KafkaRecordSerializer"/>'s format) into columns. A payload is
/// split only if rebuilding it from the columns gives the same bytes (format 1, minimal varints, no
/// trailing bytes); anything else is kept whole, so every payload round-trips exactly.
/// Holds reusable buffers: one per encoder.
/// </summary>
internal sealed class ColumnarWriter
{
    private const int ColumnCount = (int)Columns.Opaque + 1;
    private readonly ByteColumn[] _columns = Enumerable.Range(0, ColumnCount).Select(_ => new ByteColumn()).ToArray();
    private readonly int[] _mark = new int[ColumnCount];
    private readonly ByteStringTable _topics = new();
    private readonly ByteStringTable _headerKeys = new();
    private readonly Dictionary<ulong, long> _lastOffset = [];

    /// <summary>Writes the layout of <paramref name="records"/> to <paramref name="output"/>.</summary>
    public void Write(IReadOnlyList<QueueRecord> records, ByteColumn output)
    {
        foreach (var column in _columns)
        {
            column.Reset();
        }

        _topics.Reset();
        _headerKeys.Reset();
        _lastOffset.Clear();
        long lastTimestamp = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var payload = records[i].Payload.Span;
            for (var c = 0; c < ColumnCount; c++)
            {
                _mark[c] = _columns[c].Length;
            }

            if (TryWriteParsed(payload, ref lastTimestamp))
            {
                continue;
            }

            for (var c = 0; c < ColumnCount; c++)
            {
                _columns[c].Truncate(_mark[c]);
            }

            Column(Columns.Shape).WriteByte(1);
            Column(Columns.Opaque).WriteVarInt((ulong)payload.Length);
            Column(Columns.Opaque).WriteBytes(payload);
        }

        var tables = Column(Columns.Tables);
        WriteTable(tables, _topics);
        WriteTable(tables, _headerKeys);
        foreach (var column in _columns)
        {
            output.WriteVarInt((ulong)column.Length);
        }

        foreach (var column in _columns)
        {
            output.WriteBytes(column.Written);
        }
    }

    private ByteColumn Column(Columns column) => _columns[(int)column];

    private bool TryWriteParsed(ReadOnlySpan<byte> payload, ref long lastTimestamp)
    {
        var reader = new CanonicalReader(payload);
        if (!reader.TryByte(out var format) || format != 1
            || !reader.TryLengthPrefixed(out var topic)
            || !reader.TryVarInt(out var partition) || partition > uint.MaxValue
            || !reader.TryVarInt(out var offsetZigZag)
            || !reader.TryVarInt(out var timestampZigZag)
            || !reader.TryByte(out var timestampType))
        {
            return false;
        }

        var topicIndex = _topics.IndexOf(topic);
        var partitionKey = ((ulong)topicIndex << 32) | partition;
        var offset = VarInt.UnZigZag(offsetZigZag);
        var timestamp = VarInt.UnZigZag(timestampZigZag);
        Column(Columns.Shape).WriteByte(0);
        Column(Columns.TopicIndex).WriteVarInt((ulong)topicIndex);
        Column(Columns.Partition).WriteVarInt(partition);
        Column(Columns.OffsetDelta).WriteVarInt(VarInt.ZigZag(unchecked(offset - _lastOffset.GetValueOrDefault(partitionKey))));
        Column(Columns.TimestampDelta).WriteVarInt(VarInt.ZigZag(unchecked(timestamp - lastTimestamp)));
        Column(Columns.TimestampType).WriteByte(timestampType);
        if (!CopyNullable(ref reader, Columns.KeyLength, Columns.Keys)
            || !CopyNullable(ref reader, Columns.ValueLength, Columns.Values)
            || !reader.TryVarInt(out var headerCount) || headerCount > (ulong)payload.Length)
        {
            return false;
        }

        Column(Columns.HeaderCount).WriteVarInt(headerCount);
        for (var h = 0UL; h < headerCount; h++)
        {
            if (!reader.TryLengthPrefixed(out var key))
            {
                return false;
            }

            Column(Columns.HeaderKeyIndex).WriteVarInt((ulong)_headerKeys.IndexOf(key));
            if (!CopyNullable(ref reader, Columns.HeaderValueLength, Columns.HeaderValues))
            {
                return false;
            }
        }

        if (!reader.AtEnd)
        {
            return false;
        }

        // Predictors move only for records that were split, exactly as the reader replays them.
        _lastOffset[partitionKey] = offset;
        lastTimestamp = timestamp;
        return true;
    }

    private bool CopyNullable(ref CanonicalReader reader, Columns lengths, Columns bytes)
    {
        if (!reader.TryVarInt(out var code))
        {
            return false;
        }

        if (code == 0)
        {
            Column(lengths).WriteByte(0);
            return true;
        }

        if (!reader.TryBytes(code - 1, out var data))
        {
            return false;
        }

        Column(lengths).WriteVarInt(code);
        Column(bytes).WriteBytes(data);
        return true;
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

    /// <summary>Reads a payload, failing on anything the serializer would not have written exactly so.</summary>
    private ref struct CanonicalReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;

        public readonly bool AtEnd => _pos == _data.Length;

        public bool TryByte(out byte value)
        {
            if (_pos >= _data.Length)
            {
                value = 0;
                return false;
            }

            value = _data[_pos++];
            return true;
        }

        public bool TryVarInt(out ulong value)
        {
            if (_pos < _data.Length && _data[_pos] < 0x80)
            {
                value = _data[_pos++];
                return true;
            }

            // Longer encodings must be minimal: a zero final byte would not come back the same.
            if (!VarInt.TryReadUnsigned(_data[_pos..], out value, out var used) || _data[_pos + used - 1] == 0)
            {
                return false;
            }

            _pos += used;
            return true;
        }

        public bool TryBytes(ulong length, out ReadOnlySpan<byte> bytes)
        {
            if (length > (ulong)(_data.Length - _pos))
            {
                bytes = default;
                return false;
            }

            bytes = _data.Slice(_pos, (int)length);
            _pos += (int)length;
            return true;
        }

        public bool TryLengthPrefixed(out ReadOnlySpan<byte> bytes)
        {
            bytes = default;
            return TryVarInt(out var length) && TryBytes(length, out bytes);
        }
    }
}
