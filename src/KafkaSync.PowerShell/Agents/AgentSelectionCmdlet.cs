using System.Management.Automation;
using KafkaSync.Engine.Agents;
using KafkaSync.PowerShell.Completion;

namespace KafkaSync.PowerShell.Agents;

/// <summary>
/// What the cmdlets that act on running agents share: the agents chosen by -Name (wildcards),
/// by -Path (their queue folder) or from the pipeline (Get-KafkaSyncAgent's objects), looked up
/// in the current user's registry of running agents; a name or path that matches none is an error.
/// </summary>
public abstract class AgentSelectionCmdlet : StoppableCmdlet
{
    /// <summary>The error id for a name or path no registered agent has.</summary>
    public const string AgentNotFound = nameof(AgentNotFound);

    /// <summary>The name of the parameter set that takes -Name.</summary>
    public const string NameSet = "Name";

    /// <summary>The name of the parameter set that takes -Path.</summary>
    public const string PathSet = "Path";

    /// <summary>The name of the parameter set that takes agents from the pipeline.</summary>
    public const string AgentSet = "Agent";

    /// <summary>Names of the agents, as Get-KafkaSyncAgent shows them; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AgentNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Queue folders of the agents (source, target, sender, receiver).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [Alias("QueuePath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Agents as Get-KafkaSyncAgent writes them, usually from the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = AgentSet)]
    [ValidateNotNull]
    public AgentInfo[] Agent { get; set; } = [];

    /// <summary>The registry the agents are looked up in.</summary>
    private protected AgentRegistry Registry { get; } = AgentRegistry.ForCurrentUser();

    /// <summary>The registry entries the parameters name, each once; writes AgentNotFound for a name or path that matches none.</summary>
    private protected IEnumerable<AgentEntry> SelectedAgents()
    {
        if (ParameterSetName == AgentSet)
        {
            return Agent.Select(a => a.Entry);
        }

        var entries = Registry.Entries();
        var selected = new List<AgentEntry>();
        foreach (var wanted in ParameterSetName == PathSet ? Path : Name)
        {
            var matches = ParameterSetName == PathSet ? AgentMatch.ByPath(entries, ResolvePath(wanted)!) : AgentMatch.ByName(entries, wanted);
            if (matches.Count == 0 && (ParameterSetName == PathSet || !WildcardPattern.ContainsWildcardCharacters(wanted)))
            {
                WriteError(AgentMatch.NotFound(wanted, ParameterSetName == PathSet, Registry));
            }

            selected.AddRange(matches.Where(m => !selected.Contains(m)));
        }

        return selected;
    }
}
