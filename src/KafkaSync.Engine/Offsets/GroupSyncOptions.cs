using System.Text.RegularExpressions;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Offsets;

/// <summary>
/// Consumer-group offset sync run by the target agent: which groups, where their source offsets
/// are read, and how often. The groups' translated offsets are committed on the target cluster.
/// </summary>
public sealed record GroupSyncOptions
{
    /// <summary>The source cluster, where the groups commit while they consume there.</summary>
    public KafkaConnectionOptions SourceKafka { get; init; } = new();

    /// <summary>Groups by name.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>A .NET regex matched against whole group names listed on the source (ListConsumerGroups), re-evaluated each round. Optional.</summary>
    public string? Include { get; init; }

    /// <summary>A .NET regex of group names never synced, even when named or included. Optional.</summary>
    public string? Exclude { get; init; }

    /// <summary>How often the groups are synced. Default 10 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="OptionsException">The first wrong setting, named under <paramref name="prefix"/>.</exception>
    public void Validate(string prefix)
    {
        SourceKafka.Validate(prefix + ".sourceKafka");
        if (Groups.Count == 0 && string.IsNullOrEmpty(Include))
        {
            throw new OptionsException(prefix + ".groups", "names no group and include is empty; name groups, e.g. [\"billing\"], or give an include pattern.");
        }

        foreach (var group in Groups)
        {
            if (string.IsNullOrWhiteSpace(group))
            {
                throw new OptionsException(prefix + ".groups", "holds an empty group name; remove it.");
            }
        }

        CheckPattern(prefix + ".include", Include);
        CheckPattern(prefix + ".exclude", Exclude);
        OptionsException.ThrowIfOutOfRange(prefix + ".interval", Interval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
    }

    private static void CheckPattern(string field, string? pattern)
    {
        if (pattern is null)
        {
            return;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new OptionsException(field, $"'{pattern}' is not a valid .NET regular expression: {ex.Message}");
        }
    }
}
