using System.Buffers.Text;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;

namespace KafkaSync.Engine.Tsdb.Writing;

/// <summary>
/// Checks InfluxDB line protocol before it is sent. VictoriaMetrics skips lines it cannot parse
/// and still answers 204, so without this check a bad line would vanish silently; checking here
/// sends every bad record to the dead letters, whatever the node kind. It works on the UTF-8 bytes
/// as they come from Kafka (every structural character is ASCII), so the hot path decodes nothing.
/// </summary>
internal static class LineProtocol
{
    private static readonly byte[][] Booleans = ["t"u8.ToArray(), "T"u8.ToArray(), "true"u8.ToArray(), "True"u8.ToArray(), "TRUE"u8.ToArray(), "f"u8.ToArray(), "F"u8.ToArray(), "false"u8.ToArray(), "False"u8.ToArray(), "FALSE"u8.ToArray()];

    /// <summary>Counts the points in <paramref name="text"/> and finds the first bad line.</summary>
    public static (int Points, string? Error) Check(string text) => Check(Encoding.UTF8.GetBytes(text));

    /// <summary>Counts the points in the UTF-8 <paramref name="text"/> and finds the first bad line.</summary>
    /// <returns>The number of points, and null or a description of the first bad line.</returns>
    public static (int Points, string? Error) Check(ReadOnlySpan<byte> text)
    {
        var points = 0;
        var lineNumber = 0;
        var start = 0;

        // The fast check reads 64 bytes at a time, so a shorter record is read from a padded copy.
        Span<byte> padded = stackalloc byte[64];
        if (text.Length < 64)
        {
            text.CopyTo(padded);
        }

        ReadOnlySpan<byte> wide = text.Length < 64 ? padded : text;
        while (start < text.Length)
        {
            lineNumber++;

            // Most lines are short and plain: the fast check takes them whole. It answers only
            // "good" or "not sure", so the careful check below alone says what is wrong.
            var taken = PlainGoodLineLength(text, wide, start);
            if (taken > 0)
            {
                points++;
                start += taken;
                continue;
            }

            var rest = text[start..];
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            start = end < 0 ? text.Length : start + end + 1;
            line = line.TrimEnd((byte)'\r');
            var content = line.TrimStart(" \t"u8);
            if (content.IsEmpty || content[0] == '#' || content.TrimEnd(" \t"u8).IsEmpty)
            {
                continue;
            }

            var error = CheckLine(line);
            if (error != null)
            {
                var shown = line.Length > 120 ? Encoding.UTF8.GetString(line[..120]) + "…" : Encoding.UTF8.GetString(line);
                return (points, $"line {lineNumber}: {error}: '{shown}'");
            }

            points++;
        }

        return points == 0 ? (0, "the record holds no line protocol") : (points, null);
    }

    /// <summary>
    /// The length, end of line included, of the line at <paramref name="start"/> if it is a
    /// good line of at most 64 bytes in the usual shape, else 0 (then the careful check decides).
    /// </summary>
    /// <remarks>
    /// The usual shape: no backslash, no double quote, no '=' in the measurement or a tag value,
    /// one space before the fields and at most one more before a timestamp of plain digits, plain
    /// numbers and booleans, no leading blank or tab, at most one '\r' before the '\n'. For such a
    /// line this decides as <see cref="CheckLine"/> does. Rather than walking the bytes, it takes
    /// a bit per byte of a 64-byte window for each kind of separator and checks the shape on these
    /// masks: no two separators side by side (no empty token), and up to the timestamp, ',' or
    /// the first space take turns with '='. Only the field values and the timestamp are then read.
    /// </remarks>
    /// <param name="text">The record.</param>
    /// <param name="wide">The record, or a copy padded to 64 bytes if it is shorter.</param>
    /// <param name="start">Where the line starts.</param>
    private static int PlainGoodLineLength(ReadOnlySpan<byte> text, ReadOnlySpan<byte> wide, int start)
    {
        // The window starts at the line or, near the record's end, ends with the record: then the
        // line starts `skip` bytes into it, and every mask is shifted by that much.
        var skip = Math.Max(start + 64 - wide.Length, 0);
        var window = wide.Slice(start - skip, 64);
        var newlines = Where(window, (byte)'\n') >> skip;
        var length = newlines != 0 ? BitOperations.TrailingZeroCount(newlines) : text.Length - start;
        if (length > 64)
        {
            return 0;
        }

        var taken = newlines != 0 ? length + 1 : length;
        var line = text.Slice(start, length);
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        // Blank lines, comments and lines with a leading tab (which may hide a comment) go the careful way.
        if (line.IsEmpty || line[0] is (byte)'\t' or (byte)'#')
        {
            return 0;
        }

        // Strings and escapes first: a line with them gives up before the other masks.
        var inLine = ulong.MaxValue >> (64 - line.Length);
        if ((((Where(window, (byte)'"') | Where(window, (byte)'\\')) >> skip) & inLine) != 0)
        {
            return 0;
        }

        var commas = (Where(window, (byte)',') >> skip) & inLine;
        var spaces = (Where(window, (byte)' ') >> skip) & inLine;
        var equals = (Where(window, (byte)'=') >> skip) & inLine;
        var nonDigits = NonDigits(window) >> skip;
        var separators = commas | spaces | equals;
        if ((separators & ((separators >> 1) | 1 | (1UL << (line.Length - 1)))) != 0 || BitOperations.PopCount(spaces) is not (1 or 2))
        {
            return 0;
        }

        // measurement(,key=value)* key=value(,key=value)* [timestamp]
        var firstSpace = BitOperations.TrailingZeroCount(spaces);
        var secondSpace = Math.Min(BitOperations.TrailingZeroCount(spaces & (spaces - 1)), line.Length);
        var beforeTimestamp = ulong.MaxValue >> (64 - secondSpace);
        if (!TakeTurns((commas | (1UL << firstSpace)) & beforeTimestamp, equals & beforeTimestamp))
        {
            return 0;
        }

        for (var values = equals & beforeTimestamp & (ulong.MaxValue << firstSpace); values != 0; values &= values - 1)
        {
            var value = BitOperations.TrailingZeroCount(values) + 1;
            var end = Math.Min(value + BitOperations.TrailingZeroCount(commas >> value), secondSpace);
            if (!IsPlainValue(line, nonDigits, value, end))
            {
                return 0;
            }
        }

        return secondSpace == line.Length || IsDigits(line, nonDigits, secondSpace + 1, line.Length, 18, signed: true) ? taken : 0;
    }

    /// <summary>A bit per byte of the 64-byte <paramref name="window"/> (bit i for byte i): set where it is <paramref name="value"/>.</summary>
    private static ulong Where(ReadOnlySpan<byte> window, byte value)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Vector512.Equals(Vector512.Create(window), Vector512.Create(value)).ExtractMostSignificantBits();
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var low = Vector256.Equals(Vector256.Create(window), Vector256.Create(value)).ExtractMostSignificantBits();
            var high = Vector256.Equals(Vector256.Create(window[32..]), Vector256.Create(value)).ExtractMostSignificantBits();
            return low | ((ulong)high << 32);
        }

        var bits = 0UL;
        for (var at = 0; at < 64; at += 16)
        {
            bits |= (ulong)Vector128.Equals(Vector128.Create(window[at..]), Vector128.Create(value)).ExtractMostSignificantBits() << at;
        }

        return bits;
    }

    /// <summary>A bit per byte of the 64-byte <paramref name="window"/>: set where it is not 0-9.</summary>
    private static ulong NonDigits(ReadOnlySpan<byte> window)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Vector512.GreaterThanOrEqual(Vector512.Create(window) - Vector512.Create((byte)'0'), Vector512.Create((byte)10)).ExtractMostSignificantBits();
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var low = Vector256.GreaterThanOrEqual(Vector256.Create(window) - Vector256.Create((byte)'0'), Vector256.Create((byte)10)).ExtractMostSignificantBits();
            var high = Vector256.GreaterThanOrEqual(Vector256.Create(window[32..]) - Vector256.Create((byte)'0'), Vector256.Create((byte)10)).ExtractMostSignificantBits();
            return low | ((ulong)high << 32);
        }

        var bits = 0UL;
        for (var at = 0; at < 64; at += 16)
        {
            bits |= (ulong)Vector128.GreaterThanOrEqual(Vector128.Create(window[at..]) - Vector128.Create((byte)'0'), Vector128.Create((byte)10)).ExtractMostSignificantBits() << at;
        }

        return bits;
    }

    /// <summary>
    /// Whether the bits of <paramref name="first"/> and <paramref name="second"/> alternate,
    /// starting with <paramref name="first"/> and ending with <paramref name="second"/>: then the
    /// 1st, 3rd, ... of them all are exactly those of <paramref name="first"/> (the ones where the
    /// running parity of the bits, a prefix XOR, is odd) and their number is even.
    /// </summary>
    private static bool TakeTurns(ulong first, ulong second)
    {
        var both = first | second;
        var parity = both ^ (both << 1);
        parity ^= parity << 2;
        parity ^= parity << 4;
        parity ^= parity << 8;
        parity ^= parity << 16;
        parity ^= parity << 32;

        return (both & parity) == first && BitOperations.PopCount(both) % 2 == 0;
    }

    /// <summary>
    /// A field value <see cref="ScanFieldValue"/> surely accepts: a boolean, an integer as
    /// <see cref="IsDigits"/> takes it, or a plain decimal as <see cref="IsPlainDecimal"/> does.
    /// </summary>
    private static bool IsPlainValue(ReadOnlySpan<byte> line, ulong nonDigits, int start, int end)
    {
        switch (line[end - 1])
        {
            case (byte)'i':
                return IsDigits(line, nonDigits, start, end - 1, 18, signed: true);
            case (byte)'u':
                return IsDigits(line, nonDigits, start, end - 1, 19, signed: false);
            case (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F' or (byte)'e' or (byte)'E':
                return IsBoolean(line[start..end]);
        }

        // -?digits[.digits]; a value here is shorter than 300 bytes.
        var first = line[start] == '-' ? start + 1 : start;
        if (first >= end)
        {
            return false;
        }

        var point = first + BitOperations.TrailingZeroCount(nonDigits >> first);
        return point > first && (point >= end || (line[point] == '.' && point + 1 < end && AreDigits(nonDigits, point + 1, end)));
    }

    /// <summary>
    /// Bytes <paramref name="start"/> to <paramref name="end"/> are <c>-?digits</c> with 1 to
    /// <paramref name="maxDigits"/> digits (the minus only when <paramref name="signed"/>),
    /// which the integer parser always accepts (18 digits always fit an int64, 19 a uint64).
    /// </summary>
    private static bool IsDigits(ReadOnlySpan<byte> line, ulong nonDigits, int start, int end, int maxDigits, bool signed)
    {
        if (signed && start < end && line[start] == '-')
        {
            start++;
        }

        return end - start >= 1 && end - start <= maxDigits && AreDigits(nonDigits, start, end);
    }

    /// <summary>No bit of <paramref name="nonDigits"/> from <paramref name="start"/> to <paramref name="end"/> (exclusive, 0 &lt; end - start &lt; 64).</summary>
    private static bool AreDigits(ulong nonDigits, int start, int end) => ((nonDigits >> start) & ((1UL << (end - start)) - 1)) == 0;

    private static bool IsBoolean(ReadOnlySpan<byte> value)
    {
        foreach (var boolean in Booleans)
        {
            if (value.SequenceEqual(boolean))
            {
                return true;
            }
        }

        return false;
    }

    private static string? CheckLine(ReadOnlySpan<byte> line)
    {
        // measurement[,tag=value...] field=value[,field=value...] [timestamp]
        var i = 0;
        var measurementLength = ScanToken(line, ref i, stopAtEquals: false);
        if (measurementLength == 0)
        {
            return "missing measurement";
        }

        while (i < line.Length && line[i] == ',')
        {
            i++;
            if (ScanToken(line, ref i, stopAtEquals: true) == 0 || i >= line.Length || line[i] != '=')
            {
                return "tag without key=value";
            }

            i++;
            if (ScanToken(line, ref i, stopAtEquals: false) == 0)
            {
                return "tag without a value";
            }
        }

        if (i >= line.Length || line[i] != ' ')
        {
            return "missing fields";
        }

        i++;
        do
        {
            if (i < line.Length && line[i] == ',')
            {
                i++;
            }

            if (ScanToken(line, ref i, stopAtEquals: true) == 0 || i >= line.Length || line[i] != '=')
            {
                return "field without key=value";
            }

            i++;
            var fieldError = ScanFieldValue(line, ref i);
            if (fieldError != null)
            {
                return fieldError;
            }
        }
        while (i < line.Length && line[i] == ',');

        if (i == line.Length)
        {
            return null;
        }

        if (line[i] != ' ')
        {
            return "unexpected text after the fields";
        }

        var timestamp = line[(i + 1)..].Trim((byte)' ');
        return IsWholeInt64(timestamp) ? null : "the timestamp is not an integer";
    }

    /// <summary>Scans a measurement, tag or field key/value with backslash escapes; returns its length.</summary>
    private static int ScanToken(ReadOnlySpan<byte> line, ref int i, bool stopAtEquals)
    {
        var start = i;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                i += 2;
                continue;
            }

            if (c == ',' || c == ' ' || (stopAtEquals && c == '='))
            {
                break;
            }

            i++;
        }

        return i - start;
    }

    private static string? ScanFieldValue(ReadOnlySpan<byte> line, ref int i)
    {
        if (i < line.Length && line[i] == '"')
        {
            i++;
            while (i < line.Length && line[i] != '"')
            {
                i += line[i] == '\\' ? 2 : 1;
            }

            if (i >= line.Length)
            {
                return "unterminated string field";
            }

            i++;
            return null;
        }

        var start = i;
        while (i < line.Length && line[i] != ',' && line[i] != ' ')
        {
            i++;
        }

        var value = line[start..i];
        if (value.IsEmpty)
        {
            return "field without a value";
        }

        if (value[0] is (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F' && IsBoolean(value))
        {
            return null;
        }

        var last = value[^1];
        var number = last is (byte)'i' or (byte)'u' ? value[..^1] : value;
        var ok = last switch
        {
            (byte)'i' => IsWholeInt64(number),
            (byte)'u' => number.Length > 0 && number[0] != '-' && number[0] != '+' && IsWholeUInt64(number),
            _ => IsPlainDecimal(number) || (Utf8Parser.TryParse(number, out double d, out var used) && used == number.Length && double.IsFinite(d)),
        };
        return ok ? null : $"field value '{Encoding.UTF8.GetString(value)}' is not a number, boolean or quoted string";
    }

    /// <summary>
    /// The common float shape, <c>-?digits[.digits]</c> with no exponent and at most 300 characters:
    /// always a finite double the full parser accepts, so the parse itself can be skipped.
    /// Anything else (exponents, signs, odd shapes) goes to the full parser.
    /// </summary>
    private static bool IsPlainDecimal(ReadOnlySpan<byte> text)
    {
        if (text.Length > 300)
        {
            return false;
        }

        var i = text.Length > 0 && text[0] == '-' ? 1 : 0;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit((char)text[i]))
        {
            i++;
        }

        if (i == start)
        {
            return false;
        }

        if (i == text.Length)
        {
            return true;
        }

        if (text[i] != '.')
        {
            return false;
        }

        start = ++i;
        while (i < text.Length && char.IsAsciiDigit((char)text[i]))
        {
            i++;
        }

        return i == text.Length && i > start;
    }

    private static bool IsWholeInt64(ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(text, out long _, out var used) && used == text.Length && text.Length > 0;

    private static bool IsWholeUInt64(ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(text, out ulong _, out var used) && used == text.Length && text.Length > 0;
}
