using System.Management.Automation;

namespace KafkaSync.PowerShell.Queue;

/// <summary>Resolves the queue cmdlets' -Path values (PowerShell paths, relative to the current location) to provider paths.</summary>
internal static class QueuePaths
{
    /// <summary>Each path as a provider path, resolved as it is enumerated.</summary>
    public static IEnumerable<string> Resolve(PSCmdlet cmdlet, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            yield return cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        }
    }
}
