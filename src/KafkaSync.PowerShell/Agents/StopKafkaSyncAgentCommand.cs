using System.Management.Automation;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Agents;

/// <summary>
/// <para type="synopsis">Stops agents and services running on this machine, also those another session or process started.</para>
/// <para type="description">Asks each agent to stop through the registry of running agents; the agent stops exactly as on Ctrl+C
/// (a source makes the batch in hand durable and commits its offsets, a target finishes its deliveries, every agent writes its final
/// status) and Stop-KafkaSyncAgent returns once it has stopped, or writes a StopTimedOut error after -Timeout seconds. Works for
/// agents run in the foreground or as jobs in any pwsh session and for the kafkasync command-line host.</para>
/// <para type="description">The entry of an agent whose process ended without stopping it (State Dead) is removed instead.
/// With -PassThru each agent is written as it stands after the stop: source and target agents with their final status.</para>
/// </summary>
/// <example title="Stop an agent by name">
/// <code>Stop-KafkaSyncAgent dc1-to-dc2 -PassThru</code>
/// <para>Stops the agent named dc1-to-dc2, wherever on this machine it runs, and shows its final state and lag.</para>
/// </example>
/// <example title="See what would be stopped">
/// <code>Get-KafkaSyncAgent -Kind Sender, Receiver | Stop-KafkaSyncAgent -WhatIf</code>
/// <para>Lists the link ends that would be stopped; leave out -WhatIf to stop them.</para>
/// </example>
/// <example title="Stop the agent of a queue folder">
/// <code>Stop-KafkaSyncAgent -Path /var/lib/kafkasync/target -Timeout 300</code>
/// <para>Stops the agent that uses that queue and waits up to five minutes for it to drain.</para>
/// </example>
/// <para type="link">Get-KafkaSyncAgent</para>
/// <para type="link">Wait-KafkaSyncAgent</para>
/// <para type="link">Get-KafkaSyncStatus</para>
/// <para type="link">about_KafkaSync_Sync</para>
[Cmdlet(VerbsLifecycle.Stop, "KafkaSyncAgent", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(AgentInfo))]
public sealed class StopKafkaSyncAgentCommand : AgentSelectionCmdlet
{
    /// <summary>The error id for an agent that had not stopped when -Timeout ran out.</summary>
    public const string StopTimedOut = nameof(StopTimedOut);

    /// <summary>The error id for a stop request that could not be written.</summary>
    public const string StopRequestFailed = nameof(StopRequestFailed);

    private readonly List<AgentEntry> _stopping = [];

    /// <summary>Seconds to wait for the agents to stop.</summary>
    /// <value>120</value>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 120;

    /// <summary>Write each agent as it stands after the stop.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Asks each agent to stop; the waiting is done at the end, for all of them at once.</summary>
    protected override void ProcessRecord()
    {
        foreach (var entry in SelectedAgents())
        {
            var agent = AgentInfo.Of(Registry, entry);
            if (agent.State == AgentState.Dead)
            {
                if (ShouldProcess(Describe(entry), "Remove the entry of the dead agent"))
                {
                    Registry.Remove(entry.Name);
                    WriteVerbose($"Removed the entry of {Describe(entry)}: its process ended without stopping it.");
                    WritePassThru(agent);
                }
            }
            else if (!Registry.Contains(entry))
            {
                WriteVerbose($"{Describe(entry)} has stopped already.");
                WritePassThru(agent);
            }
            else if (ShouldProcess(Describe(entry), "Stop"))
            {
                try
                {
                    Registry.RequestStop(entry);
                    _stopping.Add(entry);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    WriteError(new ErrorRecord(ex, StopRequestFailed, ErrorCategory.WriteError, entry.Name));
                }
            }
        }
    }

    /// <summary>Waits until every agent asked has stopped, or -Timeout.</summary>
    protected override void EndProcessing()
    {
        var limit = TimeSpan.FromSeconds(Timeout);
        var waits = _stopping.Select(entry => (Entry: entry, Gone: Registry.WaitUntilGoneAsync(entry, limit, StopToken))).ToList();
        foreach (var (entry, gone) in waits)
        {
            if (!gone.GetAwaiter().GetResult())
            {
                var message = $"{Describe(entry)} did not stop within {Timeout} s; it may still be draining. Get-KafkaSyncAgent shows its state.";
                WriteError(new ErrorRecord(new TimeoutException(message), StopTimedOut, ErrorCategory.OperationTimeout, entry.Name));
                continue;
            }

            var agent = AgentInfo.Of(Registry, entry);
            if (agent.State == AgentState.Dead)
            {
                // Its process ended while stopping, without removing its entry.
                Registry.Remove(entry.Name);
                WriteWarning($"{Describe(entry)} ended without finishing its stop; its entry was removed.");
            }

            WritePassThru(agent);
        }
    }

    private static string Describe(AgentEntry entry) => $"{entry.Kind} '{entry.Name}' (process {entry.ProcessId})";

    private void WritePassThru(AgentInfo agent)
    {
        if (PassThru)
        {
            WriteObject(agent);
        }
    }
}
