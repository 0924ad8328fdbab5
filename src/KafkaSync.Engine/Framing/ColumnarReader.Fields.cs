namespace KafkaSync.Engine.Framing;

// Values kept as templates and field columns (frames flagged FieldColumns; see FieldColumnWriter).
internal static partial class ColumnarReader
{
    /// <summary>
    /// Rebuilds values from their templates. Opening it reads the template table, counts the records
    /// per template and reads every field length, so each field column's start is known; every count,
    /// length and sum is checked against its column first.
    /// </summary>
    private ref struct FieldReader
    {
        private readonly ReadOnlySpan<byte> _templates;
        private readonly ReadOnlySpan<byte> _values;
        private readonly Span<int> _templateStart;
        private readonly Span<int> _firstMarker;
        private readonly Span<int> _markers;
        private readonly Span<int> _lengths;
        private readonly Span<int> _nextLength;
        private readonly Span<int> _nextByte;

        public FieldReader(Cursor templates, Cursor valueTemplates, Cursor lengths, ReadOnlySpan<byte> values, ReaderBuffers buffers)
        {
            _templates = templates.Data;
            _values = values;
            var count = templates.VarInt();
            if (count > (ulong)templates.Remaining || count > FieldColumnWriter.MaxTemplates)
            {
                throw Bad($"a template table of {count} entries");
            }

            // Template t spans _templateStart[2t].._templateStart[2t + 1] (offsets into the column), and
            // its markers are _markers[_firstMarker[t].._firstMarker[t + 1]] (offsets into the template).
            _templateStart = buffers.TemplateStarts(2 * (int)count);
            _firstMarker = buffers.FirstMarkers((int)count + 1);
            _markers = buffers.Markers(templates.Remaining);
            var markerCount = 0;
            for (var t = 0; t < (int)count; t++)
            {
                var bytes = templates.Bytes(templates.VarInt());
                _templateStart[2 * t] = templates.Position - bytes.Length;
                _templateStart[(2 * t) + 1] = templates.Position;
                _firstMarker[t] = markerCount;
                for (var at = bytes.IndexOf(FieldColumnWriter.Marker); at >= 0; at = NextMarker(bytes, at))
                {
                    _markers[markerCount++] = at;
                }
            }

            _firstMarker[(int)count] = markerCount;
            if (!templates.AtEnd)
            {
                throw Bad("trailing bytes after the templates");
            }

            // Records per template, then every field's length, block by block (template, field).
            var uses = buffers.Counts((int)count);
            while (!valueTemplates.AtEnd)
            {
                var code = valueTemplates.VarInt();
                if (code > count)
                {
                    throw Bad($"template {code} outside a table of {count}");
                }

                if (code > 0)
                {
                    uses[(int)code - 1]++;
                }
            }

            long fields = 0;
            for (var t = 0; t < (int)count; t++)
            {
                fields += (long)uses[t] * (_firstMarker[t + 1] - _firstMarker[t]);
            }

            // Every length takes at least a byte, so the column bounds the count before anything is allocated.
            if (fields > lengths.Remaining)
            {
                throw Bad($"{fields} fields but only {lengths.Remaining} bytes of field lengths");
            }

            _lengths = buffers.FieldLengths((int)fields);
            _nextLength = buffers.NextLengths(markerCount);
            _nextByte = buffers.NextBytes(markerCount);
            long total = 0;
            for (var f = 0; f < (int)fields; f++)
            {
                var length = lengths.VarInt();
                if ((total += (long)length) > values.Length)
                {
                    throw Bad("field lengths run past the field values");
                }

                _lengths[f] = (int)length;
            }

            if (!lengths.AtEnd || total != values.Length)
            {
                throw Bad("the field columns hold bytes no field used");
            }

            var (index, offset) = (0, 0);
            for (var t = 0; t < (int)count; t++)
            {
                for (var m = _firstMarker[t]; m < _firstMarker[t + 1]; m++)
                {
                    _nextLength[m] = index;
                    _nextByte[m] = offset;
                    for (var r = 0; r < uses[t]; r++)
                    {
                        offset += _lengths[index++];
                    }
                }
            }
        }

        /// <summary>Writes template <paramref name="template"/>'s next value, as a nullable field (length + 1, bytes).</summary>
        public readonly void Rebuild(int template, ref Sink sink)
        {
            var bytes = _templates[_templateStart[2 * template].._templateStart[(2 * template) + 1]];
            var (first, end) = (_firstMarker[template], _firstMarker[template + 1]);
            long length = bytes.Length - (end - first);
            for (var m = first; m < end; m++)
            {
                length += _lengths[_nextLength[m]];
            }

            sink.VarInt((ulong)length + 1);
            var from = 0;
            for (var m = first; m < end; m++)
            {
                var at = _markers[m];
                sink.Write(bytes[from..at]);
                var fieldLength = _lengths[_nextLength[m]++];
                sink.Write(_values.Slice(_nextByte[m], fieldLength));
                _nextByte[m] += fieldLength;
                from = at + 1;
            }

            sink.Write(bytes[from..]);
        }

        private static int NextMarker(ReadOnlySpan<byte> bytes, int at)
        {
            var next = bytes[(at + 1)..].IndexOf(FieldColumnWriter.Marker);
            return next < 0 ? -1 : at + 1 + next;
        }
    }
}
