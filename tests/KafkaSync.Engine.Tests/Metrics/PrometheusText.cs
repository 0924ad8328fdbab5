using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KafkaSync.Engine.Tests.Metrics;

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4, written from the format's
/// description (not from the library that writes it): every sample must follow a HELP and TYPE of
/// its family, names and labels must be valid, label values unescaped, and each family's series
/// unique. Anything else throws, so a malformed scrape fails the test that reads it.
/// </summary>
internal sealed partial class PrometheusText
{
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _help = new(StringComparer.Ordinal);
    private readonly List<Sample> _samples = [];

    public IReadOnlyDictionary<string, string> Types => _types;

    public IReadOnlyDictionary<string, string> Help => _help;

    public IReadOnlyList<Sample> Samples => _samples;

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var rest = line[7..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                var name = space < 0 ? rest : rest[..space];
                var value = space < 0 ? "" : rest[(space + 1)..];
                Check(MetricName().IsMatch(name), lineNumber, $"bad metric name '{name}'");
                if (line[2] == 'H')
                {
                    Check(parsed._help.TryAdd(name, value), lineNumber, $"second HELP for {name}");
                }
                else
                {
                    Check(value is "counter" or "gauge" or "histogram" or "summary" or "untyped", lineNumber, $"unknown type '{value}'");
                    Check(parsed._types.TryAdd(name, value), lineNumber, $"second TYPE for {name}");
                }

                continue;
            }

            Check(!line.StartsWith('#'), lineNumber, "a comment that is neither HELP nor TYPE");
            var sample = ParseSample(line, lineNumber);
            Check(parsed._types.ContainsKey(FamilyOf(sample.Name, parsed._types)), lineNumber, $"sample {sample.Name} has no TYPE line before it");
            Check(seen.Add(sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}"), lineNumber, $"series {line} appears twice");
            parsed._samples.Add(sample);
        }

        Check(text.EndsWith('\n'), lineNumber, "the body must end with a line feed");
        return parsed;
    }

    /// <summary>Samples of <paramref name="name"/> whose labels include every pair in <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> Find(string name, params (string Key, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    /// <summary>The value of the one sample that matches; fails when there is none or more than one.</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        var found = Find(name, labels).ToList();
        Assert.True(found.Count == 1, $"expected one sample of {name} {string.Join(",", labels)}, found {found.Count}");
        return found[0].Value;
    }

    /// <summary>The value of the one matching sample, or null when there is none.</summary>
    public double? ValueOrNull(string name, params (string Key, string Value)[] labels) =>
        Find(name, labels).Select(s => (double?)s.Value).SingleOrDefault();

    private static string FamilyOf(string sample, Dictionary<string, string> types)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(sample[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return sample[..^suffix.Length];
            }
        }

        return sample;
    }

    private static Sample ParseSample(string line, int lineNumber)
    {
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        var name = line[..i];
        Check(MetricName().IsMatch(name), lineNumber, $"bad metric name '{name}'");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq];
                Check(LabelName().IsMatch(label), lineNumber, $"bad label name '{label}'");
                Check(line[eq + 1] == '"', lineNumber, "a label value must be quoted");
                var value = new StringBuilder();
                var j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] switch
                        {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            _ => throw new FormatException($"line {lineNumber}: bad escape \\{line[j]}"),
                        });
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }

                Check(labels.TryAdd(label, value.ToString()), lineNumber, $"label {label} twice");
                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        Check(i < line.Length && line[i] == ' ', lineNumber, "a space must separate the series from its value");
        var parts = line[(i + 1)..].Split(' ');
        Check(parts.Length is 1 or 2, lineNumber, "value and at most a timestamp after the series");
        var number = parts[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, number);
    }

    private static void Check(bool condition, int line, string problem)
    {
        if (!condition)
        {
            throw new FormatException($"line {line}: {problem}");
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
