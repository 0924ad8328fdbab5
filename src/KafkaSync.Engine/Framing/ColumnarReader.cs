using System.Numerics;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Framing;

/// <summary>
/// Rebuilds payloads from the columnar layout, replaying the writer's predictors. Every length,
/// index and count is checked against what is left; any inconsistency is a <see cref="FrameError.BadLayout"/>.
/// </summary>
internal static partial class ColumnarReader
{
    private const int MaxColumnCount = (int)Columns.FieldValues + 1;

    /// <summary>
    /// Rebuilds the <paramref name="count"/> payloads into <paramref name="output"/>; payload i (in seq order)
    /// spans <paramref name="starts"/>[i] to <paramref name="ends"/>[i]. A frame flagged
    /// <see cref="FrameFlags.FieldColumns"/> (<paramref name="fieldColumns"/>) also has the template and field columns.
    /// </summary>
    public static void Read(ReadOnlySpan<byte> raw, int count, ByteColumn output, Span<int> starts, Span<int> ends, int maxPayloadBytes, ReaderBuffers buffers, bool fieldColumns = false)
    {
        var table = new Cursor(raw);
        var columnCount = fieldColumns ? MaxColumnCount : (int)Columns.Opaque + 1;
        Span<int> columnStarts = stackalloc int[MaxColumnCount + 1];
        var position = 0L;
        for (var c = 0; c < columnCount; c++)
        {
            columnStarts[c] = (int)position;
            var length = table.VarInt();
            if (length > (ulong)raw.Length || (position += (long)length) > raw.Length)
            {
                throw Bad("column lengths exceed the frame");
            }
        }

        var body = raw[table.Position..];
        if (position != body.Length)
        {
            throw Bad($"column lengths add up to {position}, the frame holds {body.Length}");
        }

        columnStarts[columnCount] = (int)position;
        var columns = new Columnset(body, columnStarts);
        var tables = columns[Columns.Tables];
        var topics = ReadTable(ref tables);
        var headerKeys = ReadTable(ref tables);
        var groupCount = tables.VarInt();
        if (groupCount > (ulong)tables.Remaining)
        {
            throw Bad("group table longer than its column");
        }

        var groups = new (int Topic, uint Partition)[groupCount];
        for (var g = 0; g < groups.Length; g++)
        {
            var topic = Index(tables.VarInt(), topics.Count, "topic");
            var partition = tables.VarInt();
            groups[g] = (topic, partition <= uint.MaxValue ? (uint)partition : throw Bad("partition out of range"));
        }

        if (!tables.AtEnd)
        {
            throw Bad("trailing bytes after the tables");
        }

        var order = buffers.Order(count);
        StoredOrder(columns[Columns.Group], count, groups.Length, order, buffers);

        var sink = new Sink(output, maxPayloadBytes);
        var offsets = columns[Columns.OffsetDelta];
        var timestamps = columns[Columns.TimestampDelta];
        var timestampTypes = columns[Columns.TimestampType];
        var keyLengths = columns[Columns.KeyLength];
        var valueLengths = columns[Columns.ValueLength];
        var headerCounts = columns[Columns.HeaderCount];
        var headerKeyIndex = columns[Columns.HeaderKeyIndex];
        var headerValueLengths = columns[Columns.HeaderValueLength];
        var keys = columns[Columns.Keys];
        var values = columns[Columns.Values];
        var headerValues = columns[Columns.HeaderValues];
        var opaque = columns[Columns.Opaque];
        var valueTemplates = fieldColumns ? columns[Columns.ValueTemplate] : default;
        var fields = fieldColumns
            ? new FieldReader(columns[Columns.Templates], valueTemplates, columns[Columns.FieldLengths], columns[Columns.FieldValues].Data, buffers)
            : default;
        var lastOffset = buffers.LastOffsets(groups.Length);
        long lastTimestamp = 0;
        for (var j = 0; j < count; j++)
        {
            var i = order[j];
            var rank = buffers.GroupOf[i] - 1;
            starts[i] = output.Length;
            if (rank < 0)
            {
                sink.Write(opaque.Bytes(opaque.VarInt()));
                ends[i] = output.Length;
                continue;
            }

            var (topic, partition) = groups[rank];
            sink.Byte(1);
            sink.VarInt((ulong)topics[topic].Length);
            sink.Write(topics[topic].Span);
            sink.VarInt(partition);
            lastOffset[rank] = unchecked(lastOffset[rank] + VarInt.UnZigZag(offsets.VarInt()));
            sink.VarInt(VarInt.ZigZag(lastOffset[rank]));
            lastTimestamp = unchecked(lastTimestamp + VarInt.UnZigZag(timestamps.VarInt()));
            sink.VarInt(VarInt.ZigZag(lastTimestamp));
            sink.Byte(timestampTypes.Byte());
            CopyNullable(ref sink, ref keyLengths, ref keys);
            var template = fieldColumns ? valueTemplates.VarInt() : 0;
            if (template == 0)
            {
                CopyNullable(ref sink, ref valueLengths, ref values);
            }
            else
            {
                fields.Rebuild((int)template - 1, ref sink);
            }

            var headerCount = headerCounts.VarInt();
            if (headerCount > (ulong)headerKeyIndex.Remaining)
            {
                throw Bad("more headers than header keys");
            }

            sink.VarInt(headerCount);
            for (var h = 0UL; h < headerCount; h++)
            {
                var key = headerKeys[Index(headerKeyIndex.VarInt(), headerKeys.Count, "header key")].Span;
                sink.VarInt((ulong)key.Length);
                sink.Write(key);
                CopyNullable(ref sink, ref headerValueLengths, ref headerValues);
            }

            ends[i] = output.Length;
        }

        if (!(offsets.AtEnd && timestamps.AtEnd && timestampTypes.AtEnd && keyLengths.AtEnd && valueLengths.AtEnd
            && headerCounts.AtEnd && headerKeyIndex.AtEnd && headerValueLengths.AtEnd
            && keys.AtEnd && values.AtEnd && headerValues.AtEnd && opaque.AtEnd && valueTemplates.AtEnd))
        {
            throw Bad("a column has bytes no record used");
        }
    }

    /// <summary>Reads each record's group (seq order) and sorts the records into the stored order, as the writer did.</summary>
    private static void StoredOrder(Cursor groupColumn, int count, int groups, Span<int> order, ReaderBuffers buffers)
    {
        var groupOf = buffers.Groups(count);
        var next = buffers.Counts(groups + 1);
        for (var i = 0; i < count; i++)
        {
            var g = groupColumn.VarInt();
            if (g > (ulong)groups)
            {
                throw Bad($"group {g} outside a table of {groups}");
            }

            groupOf[i] = (int)g;

            // Opaque records (group 0) are stored after every group.
            next[g == 0 ? groups : (int)g - 1]++;
        }

        if (!groupColumn.AtEnd)
        {
            throw Bad("the group column has bytes no record used");
        }

        var position = 0;
        for (var r = 0; r <= groups; r++)
        {
            var size = next[r];
            next[r] = position;
            position += size;
        }

        for (var i = 0; i < count; i++)
        {
            var g = groupOf[i];
            order[next[g == 0 ? groups : g - 1]++] = i;
        }
    }

    private static void CopyNullable(ref Sink sink, ref Cursor lengths, ref Cursor bytes)
    {
        var code = lengths.VarInt();
        sink.VarInt(code);
        if (code != 0)
        {
            sink.Write(bytes.Bytes(code - 1));
        }
    }

    private static List<ReadOnlyMemory<byte>> ReadTable(ref Cursor cursor)
    {
        var count = cursor.VarInt();
        if (count > (ulong)cursor.Remaining)
        {
            throw Bad("table longer than its column");
        }

        var entries = new List<ReadOnlyMemory<byte>>((int)count);
        for (var i = 0UL; i < count; i++)
        {
            entries.Add(cursor.Bytes(cursor.VarInt()).ToArray());
        }

        return entries;
    }

    private static int Index(ulong value, int count, string what) =>
        value < (ulong)count ? (int)value : throw Bad($"{what} index {value} outside a table of {count}");

    private static FrameException Bad(string detail) => new(FrameError.BadLayout, detail);

    private readonly ref struct Columnset(ReadOnlySpan<byte> body, ReadOnlySpan<int> starts)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private readonly ReadOnlySpan<int> _starts = starts;

        public Cursor this[Columns column] => new(_body[_starts[(int)column].._starts[(int)column + 1]]);
    }

    private ref struct Cursor(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Position { get; private set; }

        public readonly int Remaining => _data.Length - Position;

        public readonly ReadOnlySpan<byte> Data => _data;

        public readonly bool AtEnd => Position == _data.Length;

        public byte Byte() => Position < _data.Length ? _data[Position++] : throw Bad("a column ended early");

        public ulong VarInt()
        {
            if (Position < _data.Length && _data[Position] < 0x80)
            {
                return _data[Position++];
            }

            if (!Records.VarInt.TryReadUnsigned(_data[Position..], out var value, out var used))
            {
                throw Bad("a column ended inside a number");
            }

            Position += used;
            return value;
        }

        public ReadOnlySpan<byte> Bytes(ulong length)
        {
            if (length > (ulong)Remaining)
            {
                throw Bad($"a length of {length} runs past its column");
            }

            var slice = _data.Slice(Position, (int)length);
            Position += (int)length;
            return slice;
        }
    }

    /// <summary>Output with a hard cap, checked before each copy, so no table entry can be replayed into a bomb.</summary>
    private readonly struct Sink(ByteColumn output, int max)
    {
        private readonly ByteColumn _output = output;
        private readonly int _max = max;

        public void Byte(byte value)
        {
            Check(1);
            _output.WriteByte(value);
        }

        public void VarInt(ulong value)
        {
            Check((BitOperations.Log2(value | 1) / 7) + 1);
            _output.WriteVarInt(value);
        }

        public void Write(ReadOnlySpan<byte> data)
        {
            Check(data.Length);
            _output.WriteBytes(data);
        }

        private void Check(int more)
        {
            if ((long)_output.Length + more > _max)
            {
                throw new FrameException(FrameError.SizeLimit, $"the records decode to more than the {_max} bytes allowed");
            }
        }
    }
}
