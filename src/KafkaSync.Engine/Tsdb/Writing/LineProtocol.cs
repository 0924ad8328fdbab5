namespace KafkaSync.Engine.Tsdb.Writing;

/// <summary>
/// Checks InfluxDB line protocol before it is sent. VictoriaMetrics skips lines it cannot parse
/// and still answers 204, so without this check a bad line would vanish silently; checking here
/// sends every bad record to the dead letters, whatever the node kind.
/// </summary>
internal static class LineProtocol
{
    /// <summary>Counts the points in <paramref name="text"/> and finds the first bad line.</summary>
    /// <returns>The number of points, and null or a description of the first bad line.</returns>
    public static (int Points, string? Error) Check(ReadOnlySpan<char> text)
    {
        var points = 0;
        var lineNumber = 0;
        while (!text.IsEmpty)
        {
            var end = text.IndexOf('\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            lineNumber++;
            line = line.TrimEnd('\r');
            if (line.IsWhiteSpace() || line.TrimStart()[0] == '#')
            {
                continue;
            }

            var error = CheckLine(line);
            if (error != null)
            {
                var shown = line.Length > 120 ? string.Concat(line[..120], "…") : line.ToString();
                return (points, $"line {lineNumber}: {error}: '{shown}'");
            }

            points++;
        }

        return points == 0 ? (0, "the record holds no line protocol") : (points, null);
    }

    private static string? CheckLine(ReadOnlySpan<char> line)
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

        var timestamp = line[(i + 1)..].Trim();
        return long.TryParse(timestamp, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? null
            : "the timestamp is not an integer";
    }

    /// <summary>Scans a measurement, tag or field key/value with backslash escapes; returns its length.</summary>
    private static int ScanToken(ReadOnlySpan<char> line, ref int i, bool stopAtEquals)
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

    private static string? ScanFieldValue(ReadOnlySpan<char> line, ref int i)
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

        if (value is "t" or "T" or "true" or "True" or "TRUE" or "f" or "F" or "false" or "False" or "FALSE")
        {
            return null;
        }

        var last = value[^1];
        var number = last is 'i' or 'u' ? value[..^1] : value;
        var ok = last switch
        {
            'i' => long.TryParse(number, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _),
            'u' => ulong.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _),
            _ => double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && double.IsFinite(d),
        };
        return ok ? null : $"field value '{value}' is not a number, boolean or quoted string";
    }
}
