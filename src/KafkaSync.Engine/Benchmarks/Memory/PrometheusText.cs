using System.Globalization;

namespace KafkaSync.Engine.Benchmarks.Memory;

/// <summary>Reads values out of a Prometheus text exposition (an agent's <c>/metrics</c> page).</summary>
internal static class PrometheusText
{
    /// <summary>The sum of every series named <paramref name="name"/> (labels ignored), or null if there is none.</summary>
    public static double? Value(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        double? sum = null;
        foreach (var whole in text.Split('\n'))
        {
            var line = whole.AsSpan().TrimEnd('\r');
            if (line.IsEmpty || line[0] == '#' || !line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length)
            {
                continue;
            }

            var next = line[name.Length];
            if (next is not ('{' or ' '))
            {
                continue;
            }

            // The value follows the series (labels may hold spaces, so look after the closing brace).
            var rest = next == '{' ? line[(line.LastIndexOf('}') + 1)..] : line[name.Length..];
            rest = rest.Trim();
            var space = rest.IndexOf(' ');
            if (space >= 0)
            {
                rest = rest[..space]; // a timestamp follows
            }

            if (double.TryParse(rest, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sum = (sum ?? 0) + value;
            }
        }

        return sum;
    }
}
