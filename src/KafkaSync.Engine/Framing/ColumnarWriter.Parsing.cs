using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Framing;

// Reading a payload in the serializer's format, refusing anything that would not come back byte for byte.
internal sealed partial class ColumnarWriter
{
    private bool TryParse(ReadOnlySpan<byte> payload, out Parsed parsed)
    {
        parsed = default;
        var reader = new CanonicalReader(payload);
        if (!reader.TryByte(out var format) || format != 1
            || !reader.TryLengthPrefixed(out var topic)
            || !reader.TryVarInt(out var partition) || partition > uint.MaxValue
            || !reader.TryVarInt(out var offset)
            || !reader.TryVarInt(out var timestamp)
            || !reader.TryByte(out parsed.TimestampType)
            || !reader.TryNullable(out parsed.Key)
            || !reader.TryNullable(out parsed.Value)
            || !reader.TryVarInt(out var headerCount) || headerCount > (ulong)payload.Length)
        {
            return false;
        }

        parsed.Offset = VarInt.UnZigZag(offset);
        parsed.Timestamp = VarInt.UnZigZag(timestamp);
        parsed.HeaderStart = _headerCount;
        parsed.HeaderCount = (int)headerCount;
        if (_headers.Length < _headerCount + parsed.HeaderCount)
        {
            Array.Resize(ref _headers, Math.Max(_headers.Length * 2, _headerCount + parsed.HeaderCount));
        }

        for (var h = 0; h < parsed.HeaderCount; h++)
        {
            if (!reader.TryLengthPrefixed(out var key) || !reader.TryNullable(out var value))
            {
                return false;
            }

            _headers[_headerCount++] = new ParsedHeader(_headerKeys.IndexOf(key), value);
        }

        if (!reader.AtEnd)
        {
            return false;
        }

        var groupKey = ((ulong)_topics.IndexOf(topic) << 32) | partition;
        if (!_groupIds.TryGetValue(groupKey, out parsed.Group))
        {
            parsed.Group = _groupKeys.Count;
            _groupIds.Add(groupKey, parsed.Group);
            _groupKeys.Add(groupKey);
        }

        return true;
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

        public bool TryLengthPrefixed(out ReadOnlySpan<byte> bytes)
        {
            bytes = default;
            if (!TryVarInt(out var length) || length > (ulong)(_data.Length - _pos))
            {
                return false;
            }

            bytes = _data.Slice(_pos, (int)length);
            _pos += (int)length;
            return true;
        }

        public bool TryNullable(out Slice slice)
        {
            slice = new Slice(-1, 0);
            if (!TryVarInt(out var code))
            {
                return false;
            }

            if (code == 0)
            {
                return true;
            }

            if (code - 1 > (ulong)(_data.Length - _pos))
            {
                return false;
            }

            slice = new Slice(_pos, (int)(code - 1));
            _pos += (int)(code - 1);
            return true;
        }
    }
}
