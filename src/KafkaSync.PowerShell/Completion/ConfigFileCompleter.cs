using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KafkaSync.PowerShell.Completion;

/// <summary>Completes config paths with folders and .json/.psd1 files, relative to the current location.</summary>
public sealed class ConfigFileCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        var folderPart = Path.GetDirectoryName(typed) ?? "";
        var here = CurrentLocation();
        var folder = Path.GetFullPath(Path.Combine(here, folderPart.Length == 0 ? "." : folderPart));
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var candidates = Directory.EnumerateDirectories(folder).Select(d => Path.Combine(folderPart, Path.GetFileName(d)) + Path.DirectorySeparatorChar)
            .Concat(Directory.EnumerateFiles(folder)
                .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase))
                .Select(f => Path.Combine(folderPart, Path.GetFileName(f))))
            .Order(StringComparer.OrdinalIgnoreCase);
        return CompletionResults.Matching(candidates, typed, CompletionResultType.ProviderItem);
    }

    // PowerShell's location, not the process's working directory (which Set-Location leaves
    // alone). Completion runs inside a pipeline, so ask through a nested one.
    private static string CurrentLocation()
    {
        using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        var location = shell.AddCommand(@"Microsoft.PowerShell.Management\Get-Location").AddParameter("PSProvider", "FileSystem").Invoke<PathInfo>();
        return location.Count > 0 ? location[0].ProviderPath : Environment.CurrentDirectory;
    }
}
