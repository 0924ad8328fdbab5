using System.Buffers.Text;
using System.Text;

namespace KafkaSync.Engine.Tests.Tsdb.Writing;

/// <summary>
/// The straightforward byte-by-byte line protocol checker, kept as the reference the fast
/// <c>LineProtocol</c> checker must agree with: same points, same accept/reject decision and the
/// same error text for every input. It is a copy of the checker as it was before the fast path.
/// </summary>
internal static class ReferenceLineProtocol
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
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            lineNumber++;
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
        return IsWhole(timestamp, out long _) ? null : "the timestamp is not an integer";
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

        if (value[0] is (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F')
        {
            foreach (var boolean in Booleans)
            {
                if (value.SequenceEqual(boolean))
                {
                    return null;
                }
            }
        }

        var last = value[^1];
        var number = last is (byte)'i' or (byte)'u' ? value[..^1] : value;
        var ok = last switch
        {
            (byte)'i' => IsWhole(number, out long _),
            (byte)'u' => number.Length > 0 && number[0] != '-' && number[0] != '+' && IsWhole(number, out ulong _),
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

    private static bool IsWhole(ReadOnlySpan<byte> text, out long value) =>
        Utf8Parser.TryParse(text, out value, out var used) && used == text.Length && text.Length > 0;

    private static bool IsWhole(ReadOnlySpan<byte> text, out ulong value) =>
        Utf8Parser.TryParse(text, out value, out var used) && used == text.Length && text.Length > 0;
}
