using System.Management.Automation;

namespace KafkaSync.PowerShell;

/// <summary>
/// Turns the cmdlets' path parameters (PowerShell paths, relative to the current location) into
/// file-system paths: queues, configs and keys are files, so a path on another provider (a
/// registry key, a variable drive) is an error naming it, not a folder created by accident.
/// </summary>
internal static class PowerShellPaths
{
    /// <summary>The error id for a path on a provider other than the file system.</summary>
    public const string NotAFileSystemPath = nameof(NotAFileSystemPath);

    /// <summary>The error id for a wildcard path that matches nothing.</summary>
    public const string PathNotFound = nameof(PathNotFound);

    /// <summary>The file-system path of <paramref name="path"/> taken literally, or null for null; stops the cmdlet on another provider's path.</summary>
    public static string? Resolve(PSCmdlet cmdlet, string? path)
    {
        if (path is null)
        {
            return null;
        }

        var resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        RequireFileSystem(cmdlet, path, provider);
        return resolved;
    }

    /// <summary>
    /// The file-system paths <paramref name="paths"/> name: a path with wildcards is expanded to
    /// what exists (an error when nothing matches), any other path is taken as written, so the
    /// cmdlet itself can say what is wrong with it. <paramref name="literal"/> expands nothing.
    /// </summary>
    public static IEnumerable<string> Expand(PSCmdlet cmdlet, IEnumerable<string> paths, bool literal)
    {
        foreach (var path in paths)
        {
            if (literal || !WildcardPattern.ContainsWildcardCharacters(path))
            {
                yield return Resolve(cmdlet, path)!;
                continue;
            }

            IReadOnlyList<string> matches;
            try
            {
                matches = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                RequireFileSystem(cmdlet, path, provider);
            }
            catch (ItemNotFoundException)
            {
                matches = [];
            }

            if (matches.Count == 0)
            {
                cmdlet.WriteError(new ErrorRecord(new ItemNotFoundException($"Nothing matches '{path}'."), PathNotFound, ErrorCategory.ObjectNotFound, path));
                continue;
            }

            foreach (var match in matches)
            {
                yield return match;
            }
        }
    }

    private static void RequireFileSystem(PSCmdlet cmdlet, string path, ProviderInfo provider)
    {
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException($"'{path}' is a path of the {provider.Name} provider; KafkaSync needs a file system path (a folder or file on disk)."),
                NotAFileSystemPath,
                ErrorCategory.InvalidArgument,
                path));
        }
    }
}
