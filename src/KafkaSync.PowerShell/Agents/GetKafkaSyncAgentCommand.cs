using System.Management.Automation;
using KafkaSync.Engine.Agents;
using KafkaSync.PowerShell.Completion;

namespace KafkaSync.PowerShell.Agents;

/// <summary>
/// <para type="synopsis">Lists the agents and services running on this machine: source and target agents, time-series services, link ends.</para>
/// <para type="description">Every agent, time-series service and link end started on this machine by this user, by a cmdlet (in the
/// foreground or with -AsJob) or by the kafkasync command-line host, is registered while it runs, so any session or process can list
/// it. Each shows its name, kind, state, process id, queue folder or URL and, for source and target agents, the lag from their status.</para>
/// <para type="description">An agent whose process ended without stopping it (killed, crashed) is shown as Dead until
/// Stop-KafkaSyncAgent removes its entry; its name is free to take again. The registry is the folder kafkasync/agents in the
/// user's local application data, or the folder named by the environment variable KAFKASYNC_AGENT_REGISTRY.</para>
/// </summary>
/// <example title="Everything running on this machine">
/// <code>Get-KafkaSyncAgent</code>
/// <para>Shows one line per agent: name, kind, state, process id, lag and where its queue or endpoint is.</para>
/// </example>
/// <example title="Source and target agents by name">
/// <code>Get-KafkaSyncAgent dc1-* -Kind Source, Target | Format-List Name, State, LagRecords, Status</code>
/// <para>Shows the sync agents whose names start with dc1-, with their full status snapshots.</para>
/// </example>
/// <example title="Clean up after a crash">
/// <code>Get-KafkaSyncAgent | Where-Object State -eq Dead | Stop-KafkaSyncAgent</code>
/// <para>Removes the entries of agents whose process ended without stopping them.</para>
/// </example>
/// <para type="link">Stop-KafkaSyncAgent</para>
/// <para type="link">Wait-KafkaSyncAgent</para>
/// <para type="link">Get-KafkaSyncStatus</para>
/// <para type="link">about_KafkaSync_Sync</para>
[Cmdlet(VerbsCommon.Get, "KafkaSyncAgent")]
[OutputType(typeof(AgentInfo))]
public sealed class GetKafkaSyncAgentCommand : PSCmdlet
{
    /// <summary>Names of the agents to show; wildcards allowed. All when omitted.</summary>
    /// <value>*</value>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AgentNameCompleter))]
    public string[] Name { get; set; } = ["*"];

    /// <summary>Only agents of these kinds.</summary>
    [Parameter]
    public AgentKind[]? Kind { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var registry = AgentRegistry.ForCurrentUser();
        var entries = registry.Entries().Where(e => Kind is null || Kind.Contains(e.Kind)).ToList();
        var shown = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in Name)
        {
            var matches = AgentMatch.ByName(entries, name);
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(AgentMatch.NotFound(name, isPath: false, registry));
            }

            foreach (var entry in matches.Where(e => shown.Add(e.Name)))
            {
                WriteObject(AgentInfo.Of(registry, entry));
            }
        }
    }
}
