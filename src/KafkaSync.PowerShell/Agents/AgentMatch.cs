using System.Management.Automation;
using KafkaSync.Engine.Agents;

namespace KafkaSync.PowerShell.Agents;

/// <summary>How the agent cmdlets find registry entries by name (wildcards, case-insensitive) or by queue folder.</summary>
internal static class AgentMatch
{
    public static List<AgentEntry> ByName(IEnumerable<AgentEntry> entries, string name)
    {
        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
        return entries.Where(e => pattern.IsMatch(e.Name)).ToList();
    }

    public static List<AgentEntry> ByPath(IEnumerable<AgentEntry> entries, string path)
    {
        var wanted = Normal(path);
        return entries.Where(e => e.Path is not null && string.Equals(Normal(e.Path), wanted, PathComparison)).ToList();
    }

    public static ErrorRecord NotFound(string wanted, bool isPath, AgentRegistry registry)
    {
        var what = isPath ? $"with the queue folder '{wanted}'" : $"named '{wanted}'";
        var message = $"No agent {what} is running on this machine for this user (registry {registry.Folder}); Get-KafkaSyncAgent lists those that are.";
        return new ErrorRecord(new ItemNotFoundException(message), AgentSelectionCmdlet.AgentNotFound, ErrorCategory.ObjectNotFound, wanted);
    }

    private static StringComparison PathComparison => OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    private static string Normal(string path) => System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
}
