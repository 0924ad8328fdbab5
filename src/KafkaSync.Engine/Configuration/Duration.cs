using System.Globalization;

namespace KafkaSync.Engine.Configuration;

/// <summary>Durations as people write them in configs: "250ms", "5s", "2m", "1h", or "00:00:05".</summary>
public static class Duration
{
    /// <summary>Parses a duration.</summary>
    /// <exception cref="OptionsException">The text is not a duration; the message names <paramref name="field"/>.</exception>
    public static TimeSpan Parse(string text, string field = "duration")
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        (string Suffix, double Ms)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];
        foreach (var (suffix, ms) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && n >= 0 && !double.IsInfinity(n))
            {
                return TimeSpan.FromMilliseconds(n * ms);
            }
        }

        if (TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            return span;
        }

        throw new OptionsException(field, $"'{text}' is not a duration; write e.g. 250ms, 5s, 2m, 1h.");
    }

    /// <summary>Formats compactly: "250ms", "5s", "2m30s", "1h".</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1))
        {
            return ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        if (value < TimeSpan.FromMinutes(1))
        {
            return value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        }

        var parts = new List<string>();
        if (value.Days > 0) { parts.Add($"{value.Days}d"); }
        if (value.Hours > 0) { parts.Add($"{value.Hours}h"); }
        if (value.Minutes > 0) { parts.Add($"{value.Minutes}m"); }
        if (value.Seconds > 0) { parts.Add($"{value.Seconds}s"); }
        return string.Concat(parts);
    }
}
