namespace KafkaSync.Engine.Records;

/// <summary>
/// A record in the form <see cref="KafkaRecordSerializer"/> writes, read in place: every field is
/// a view of the given bytes, so a stage that only passes the record on (the target producer)
/// copies nothing and allocates nothing. <see cref="Read"/> checks the whole record, headers
/// included, before anything is used.
/// </summary>
internal readonly ref struct SerializedRecord
{
    private readonly ReadOnlySpan<byte> _headers;

    private SerializedRecord(ReadOnlySpan<byte> topic, int partition, long offset, long timestamp, KafkaTimestampType timestampType, NullableBytes key, NullableBytes value, int headerCount, ReadOnlySpan<byte> headers)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        Timestamp = timestamp;
        TimestampType = timestampType;
        Key = key;
        Value = value;
        HeaderCount = headerCount;
        _headers = headers;
    }

    /// <summary>The topic name in UTF-8 (empty for a topic descriptor).</summary>
    public ReadOnlySpan<byte> Topic { get; }

    public int Partition { get; }

    public long Offset { get; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; }

    public KafkaTimestampType TimestampType { get; }

    public NullableBytes Key { get; }

    public NullableBytes Value { get; }

    public int HeaderCount { get; }

    /// <summary>The headers in order.</summary>
    public HeaderReader Headers => new(_headers);

    /// <summary>Reads the record <paramref name="data"/> holds.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a serialized record.</exception>
    public static SerializedRecord Read(ReadOnlySpan<byte> data)
    {
        var reader = new SpanReader(data);
        var format = reader.Byte();
        if (format != KafkaRecordSerializer.FormatVersion)
        {
            throw new InvalidDataException($"Unknown record format {format}; this version reads format {KafkaRecordSerializer.FormatVersion}.");
        }

        var topic = reader.Bytes();
        var partition = checked((int)VarInt.UnZigZag(reader.VarUInt()));
        var offset = VarInt.UnZigZag(reader.VarUInt());
        var timestamp = VarInt.UnZigZag(reader.VarUInt());
        var timestampType = (KafkaTimestampType)reader.Byte();
        var key = reader.Nullable();
        var value = reader.Nullable();
        var headerCount = reader.VarUInt();
        if (headerCount > (ulong)data.Length)
        {
            throw new InvalidDataException("Record declares more headers than it has bytes.");
        }

        var headers = reader.Rest;
        for (var i = 0UL; i < headerCount; i++)
        {
            reader.Bytes();
            reader.Nullable();
        }

        if (!reader.AtEnd)
        {
            throw new InvalidDataException("Record has trailing bytes.");
        }

        return new SerializedRecord(topic, partition, offset, timestamp, timestampType, key, value, (int)headerCount, headers);
    }

    /// <summary>Walks the headers of a record that <see cref="Read"/> checked.</summary>
    public ref struct HeaderReader
    {
        private SpanReader _reader;

        internal HeaderReader(ReadOnlySpan<byte> headers) => _reader = new SpanReader(headers);

        /// <summary>The next header; false after the last.</summary>
        public bool Next(out ReadOnlySpan<byte> name, out NullableBytes value)
        {
            if (_reader.AtEnd)
            {
                name = default;
                value = NullableBytes.Null;
                return false;
            }

            name = _reader.Bytes();
            value = _reader.Nullable();
            return true;
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;

        public readonly bool AtEnd => _pos == _data.Length;

        public readonly ReadOnlySpan<byte> Rest => _data[_pos..];

        public byte Byte()
        {
            if (_pos >= _data.Length)
            {
                throw Truncated();
            }

            return _data[_pos++];
        }

        public ulong VarUInt()
        {
            if (!VarInt.TryReadUnsigned(_data[_pos..], out var value, out var used))
            {
                throw Truncated();
            }

            _pos += used;
            return value;
        }

        public ReadOnlySpan<byte> Bytes() => Take(VarUInt());

        /// <summary>Length + 1, then the bytes; a length of 0 is null.</summary>
        public NullableBytes Nullable()
        {
            var length = VarUInt();
            return length == 0 ? NullableBytes.Null : new NullableBytes(Take(length - 1));
        }

        private ReadOnlySpan<byte> Take(ulong length)
        {
            if (length > (ulong)(_data.Length - _pos))
            {
                throw Truncated();
            }

            var slice = _data.Slice(_pos, (int)length);
            _pos += (int)length;
            return slice;
        }

        private static InvalidDataException Truncated() => new("Record is truncated.");
    }
}
