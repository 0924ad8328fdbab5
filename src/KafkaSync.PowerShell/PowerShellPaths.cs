using System.Management.Automation;

namespace KafkaSync.PowerShell;

/// <summary>Turns the cmdlets' path parameters (PowerShell paths, relative to the current location) into provider paths.</summary>
internal static class PowerShellPaths
{
    /// <summary>The provider path of <paramref name="path"/>, or null for null.</summary>
    public static string? Resolve(PSCmdlet cmdlet, string? path) =>
        path is null ? null : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
