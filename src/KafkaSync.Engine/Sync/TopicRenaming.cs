using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// How source topic names become target topic names: an explicit <see cref="Map"/> entry wins;
/// otherwise <see cref="Prefix"/> is put in front of the source name (empty: same name).
/// </summary>
public sealed record TopicRenaming
{
    /// <summary>Put in front of every source topic name without a <see cref="Map"/> entry, e.g. "dc1.".</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Source topic name → target topic name.</summary>
    public Dictionary<string, string> Map { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The target topic for <paramref name="sourceTopic"/>.</summary>
    public string Apply(string sourceTopic) =>
        Map.TryGetValue(sourceTopic, out var mapped) ? mapped : Prefix + sourceTopic;

    /// <summary>Checks the renaming rules produce legal Kafka topic names.</summary>
    /// <exception cref="OptionsException">A prefix or mapped name has characters Kafka refuses.</exception>
    public void Validate(string prefix)
    {
        if (Prefix.Length > 0 && !IsLegal(Prefix))
        {
            throw new OptionsException($"{prefix}.prefix", $"'{Prefix}' has characters Kafka does not allow in topic names; use letters, digits, '.', '_' and '-'.");
        }

        foreach (var (from, to) in Map)
        {
            if (to.Length == 0 || to.Length > 249 || !IsLegal(to))
            {
                throw new OptionsException($"{prefix}.map.{from}", $"'{to}' is not a legal topic name; use 1 to 249 letters, digits, '.', '_' and '-'.");
            }
        }
    }

    private static bool IsLegal(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
