using System.Text.RegularExpressions;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Which source topics to copy: an explicit list, or every topic matching <see cref="Include"/>
/// (a .NET regex matched against the whole name) except those matching <see cref="Exclude"/>.
/// Topics whose names start with "__" (Kafka's internal topics) are never selected by a pattern.
/// </summary>
public sealed record TopicSelection
{
    /// <summary>Topics to copy by name.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>Regex of topics to copy, e.g. "orders\\..*".</summary>
    public string? Include { get; init; }

    /// <summary>Regex of topics to leave out, applied after the list and <see cref="Include"/>.</summary>
    public string? Exclude { get; init; }

    /// <summary>Checks the selection; <paramref name="prefix"/> is its path in the config.</summary>
    /// <exception cref="OptionsException">Nothing is selected or a regex does not compile.</exception>
    public void Validate(string prefix)
    {
        if (Names.Count == 0 && string.IsNullOrEmpty(Include))
        {
            throw new OptionsException($"{prefix}.names", "select at least one topic: list names in names or give an include regex.");
        }

        if (Names.Any(string.IsNullOrWhiteSpace))
        {
            throw new OptionsException($"{prefix}.names", "contains an empty topic name.");
        }

        Compile(Include, $"{prefix}.include");
        Compile(Exclude, $"{prefix}.exclude");
    }

    /// <summary>True when <paramref name="topic"/> is selected.</summary>
    public bool Matches(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var selected = Names.Contains(topic, StringComparer.Ordinal)
            || (Include is not null && !topic.StartsWith("__", StringComparison.Ordinal) && Whole(Include).IsMatch(topic));
        return selected && (Exclude is null || !Whole(Exclude).IsMatch(topic));
    }

    /// <summary>
    /// The topics to subscribe to among those the cluster has. Patterns are resolved here, not
    /// by librdkafka, so <see cref="Exclude"/> and .NET regex syntax apply; the agent calls this
    /// again from time to time to pick up new matching topics.
    /// </summary>
    /// <exception cref="OptionsException">A listed topic does not exist on the cluster.</exception>
    public IReadOnlyList<string> Resolve(IEnumerable<string> existingTopics, string prefix)
    {
        var existing = existingTopics.ToHashSet(StringComparer.Ordinal);
        var missing = Names.Where(t => !existing.Contains(t)).ToList();
        if (missing.Count > 0)
        {
            throw new OptionsException($"{prefix}.names", $"the source cluster has no topic named {string.Join(", ", missing.Select(t => $"'{t}'"))}; check the spelling or create it first.");
        }

        return existing.Where(Matches).Order(StringComparer.Ordinal).ToList();
    }

    private static Regex Whole(string pattern) => new("^(?:" + pattern + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static void Compile(string? pattern, string field)
    {
        if (pattern is null)
        {
            return;
        }

        try
        {
            _ = Whole(pattern);
        }
        catch (ArgumentException ex)
        {
            throw new OptionsException(field, $"'{pattern}' is not a valid regular expression: {ex.Message}");
        }
    }
}
