using System.Management.Automation;

namespace KafkaSync.PowerShell.Completion;

/// <summary>Turns candidate values into completion results, quoting those that need it.</summary>
internal static class CompletionResults
{
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> candidates, string wordToComplete, CompletionResultType type)
    {
        var typed = wordToComplete.Trim('\'', '"');
        var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
        foreach (var candidate in candidates.Where(c => pattern.IsMatch(c)))
        {
            var text = candidate.IndexOfAny([' ', '$', '`', '\'', '"', ';', '(', ')', '{', '}', '[', ']', '&', '|', '#', ',']) >= 0
                ? "'" + candidate.Replace("'", "''", StringComparison.Ordinal) + "'"
                : candidate;
            yield return new CompletionResult(text, candidate, type, candidate);
        }
    }

    /// <summary>The value the user already typed for another parameter of the command, or null.</summary>
    public static string? BoundValue(System.Collections.IDictionary fakeBoundParameters, string name) =>
        fakeBoundParameters.Contains(name) ? (fakeBoundParameters[name] is PSObject p ? p.BaseObject : fakeBoundParameters[name])?.ToString() : null;
}
