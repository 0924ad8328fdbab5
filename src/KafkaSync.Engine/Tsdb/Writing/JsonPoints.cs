using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KafkaSync.Engine.Tsdb.Writing;

/// <summary>
/// Converts JSON points to line protocol. A record holds one point object or an array of them:
/// <c>measurement</c> (string, required), <c>tags</c> (object; values written as text),
/// <c>fields</c> (object, at least one; numbers become floats, so a field keeps one type whether
/// JSON writes 3 or 3.0; an object <c>{"int": n}</c> makes an integer; booleans and strings as
/// they are), <c>time</c> (optional: an integer in the configured precision, or an ISO-8601 string).
/// </summary>
internal static class JsonPoints
{
    public static (string? Lines, string? Error) Convert(ReadOnlyMemory<byte> json, string precision)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var text = new StringBuilder();
            if (doc.RootElement.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var point in doc.RootElement.EnumerateArray())
                {
                    var error = Append(text, point, precision);
                    if (error != null)
                    {
                        return (null, $"point {i}: {error}");
                    }

                    i++;
                }

                return i == 0 ? (null, "the array holds no point") : (text.ToString(), null);
            }

            var single = Append(text, doc.RootElement, precision);
            return single == null ? (text.ToString(), null) : (null, single);
        }
        catch (JsonException ex)
        {
            return (null, "not JSON: " + ex.Message);
        }
    }

    private static string? Append(StringBuilder text, JsonElement point, string precision)
    {
        if (point.ValueKind != JsonValueKind.Object)
        {
            return "a point must be a JSON object";
        }

        if (!point.TryGetProperty("measurement", out var measurement) || measurement.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(measurement.GetString()))
        {
            return "'measurement' must be a non-empty string";
        }

        if (text.Length > 0)
        {
            text.Append('\n');
        }

        Escape(text, measurement.GetString()!, ", ");
        if (point.TryGetProperty("tags", out var tags))
        {
            if (tags.ValueKind != JsonValueKind.Object)
            {
                return "'tags' must be an object";
            }

            foreach (var tag in tags.EnumerateObject().OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                var value = tag.Value.ValueKind == JsonValueKind.String ? tag.Value.GetString()! : tag.Value.GetRawText();
                if (tag.Name.Length == 0 || value.Length == 0 || tag.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)
                {
                    return $"tag '{tag.Name}' must have a name and a non-empty string, number or boolean value";
                }

                text.Append(',');
                Escape(text, tag.Name, ",= ");
                text.Append('=');
                Escape(text, value, ",= ");
            }
        }

        if (!point.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object || !fields.EnumerateObject().Any())
        {
            return "'fields' must be an object with at least one field";
        }

        var separator = ' ';
        foreach (var field in fields.EnumerateObject())
        {
            text.Append(separator);
            separator = ',';
            Escape(text, field.Name, ",= ");
            text.Append('=');
            var error = AppendValue(text, field.Name, field.Value);
            if (error != null)
            {
                return error;
            }
        }

        return point.TryGetProperty("time", out var time) ? AppendTime(text, time, precision) : null;
    }

    private static string? AppendValue(StringBuilder text, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out var d) && double.IsFinite(d):
                text.Append(d.ToString("R", CultureInfo.InvariantCulture));
                return null;
            case JsonValueKind.True:
                text.Append("true");
                return null;
            case JsonValueKind.False:
                text.Append("false");
                return null;
            case JsonValueKind.String:
                text.Append('"').Append(value.GetString()!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                return null;
            case JsonValueKind.Object when value.TryGetProperty("int", out var n) && n.TryGetInt64(out var l):
                text.Append(l.ToString(CultureInfo.InvariantCulture)).Append('i');
                return null;
            default:
                return $"field '{name}' must be a number, boolean, string or {{\"int\": n}}";
        }
    }

    private static string? AppendTime(StringBuilder text, JsonElement time, string precision)
    {
        if (time.ValueKind == JsonValueKind.Number && time.TryGetInt64(out var stamp))
        {
            text.Append(' ').Append(stamp.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        if (time.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var ticks = (at.UtcDateTime - DateTime.UnixEpoch).Ticks;
            var value = precision switch
            {
                "ns" => ticks * 100,
                "u" => ticks / 10,
                "ms" => ticks / TimeSpan.TicksPerMillisecond,
                "s" => ticks / TimeSpan.TicksPerSecond,
                "m" => ticks / TimeSpan.TicksPerMinute,
                _ => ticks / TimeSpan.TicksPerHour,
            };
            text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        return "'time' must be an integer in the configured precision or an ISO-8601 string";
    }

    private static void Escape(StringBuilder text, string value, string special)
    {
        foreach (var c in value)
        {
            if (c is '\n' or '\r')
            {
                text.Append(' ');
                continue;
            }

            if (special.Contains(c, StringComparison.Ordinal))
            {
                text.Append('\\');
            }

            text.Append(c);
        }
    }
}
