using System.Management.Automation;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Agents;

/// <summary>
/// <para type="synopsis">Waits until agents have stopped or, with -CaughtUp, until source or target agents have caught up.</para>
/// <para type="description">Without -CaughtUp it waits until each agent has stopped (by Ctrl+C, Stop-Job, Stop-KafkaSyncAgent,
/// an error, or because its process ended). With -CaughtUp it waits until each source or target agent has nothing left in its
/// queue to pass on (lag 0): a source agent once the target has acknowledged everything it queued, a target agent once it has
/// produced everything it received. Records still in the source cluster that the source agent has not consumed are not counted.</para>
/// <para type="description">It reads the agents' status as they write it (once a second) and writes each agent as it stands
/// when the wait is over. When -Timeout passes first it stops with a WaitTimedOut error naming what it waited for; an agent
/// that ends before it caught up stops it with AgentNotRunning. For a node of the time-series service use Wait-KafkaSyncTsdbNode.</para>
/// </summary>
/// <example title="Wait until a target has produced everything">
/// <code>Wait-KafkaSyncAgent dc2-target -CaughtUp -Timeout 600</code>
/// <para>Returns once the target agent's queue holds no record it has not produced, or fails after ten minutes.</para>
/// </example>
/// <example title="Drain, then stop">
/// <code>Get-KafkaSyncAgent -Kind Source | Wait-KafkaSyncAgent -CaughtUp | Stop-KafkaSyncAgent -PassThru</code>
/// <para>Waits until every source agent has had its queue acknowledged by the target, then stops them cleanly.</para>
/// </example>
/// <example title="Wait for an agent another session stops">
/// <code>Wait-KafkaSyncAgent -Path /var/lib/kafkasync/source; Get-KafkaSyncStatus /var/lib/kafkasync/source</code>
/// <para>Blocks until the agent of that queue has stopped, then shows its final status.</para>
/// </example>
/// <para type="link">Get-KafkaSyncAgent</para>
/// <para type="link">Stop-KafkaSyncAgent</para>
/// <para type="link">Wait-KafkaSyncTsdbNode</para>
/// <para type="link">about_KafkaSync_Sync</para>
[Cmdlet(VerbsLifecycle.Wait, "KafkaSyncAgent", DefaultParameterSetName = NameSet)]
[OutputType(typeof(AgentInfo))]
public sealed class WaitKafkaSyncAgentCommand : AgentSelectionCmdlet
{
    /// <summary>The error id for -Timeout passing before the agents stopped or caught up.</summary>
    public const string WaitTimedOut = nameof(WaitTimedOut);

    /// <summary>The error id for an agent that ended (or failed, or died) before it caught up.</summary>
    public const string AgentNotRunning = nameof(AgentNotRunning);

    /// <summary>The error id for -CaughtUp on an agent that keeps no lag (time-series services, link ends).</summary>
    public const string LagUnknown = nameof(LagUnknown);

    /// <summary>How often the agents' status is read: they rewrite it once a second.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly List<AgentEntry> _agents = [];

    /// <summary>Wait until each source or target agent has lag 0 instead of until it stops.</summary>
    [Parameter]
    public SwitchParameter CaughtUp { get; set; }

    /// <summary>Seconds to wait at most; no limit when omitted.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>Collects the agents; the waiting is done at the end, for all of them at once.</summary>
    protected override void ProcessRecord()
    {
        foreach (var entry in SelectedAgents().Where(e => !_agents.Contains(e)))
        {
            if (CaughtUp && !AgentInfo.HasStatusFile(entry.Kind))
            {
                var message = $"{entry.Kind} '{entry.Name}' keeps no lag; -CaughtUp waits for source and target agents. Leave it out to wait until it stops.";
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), LagUnknown, ErrorCategory.InvalidOperation, entry.Name));
            }

            _agents.Add(entry);
        }
    }

    /// <summary>Polls the agents' status until each is done, -Timeout passes or Ctrl+C.</summary>
    protected override void EndProcessing()
    {
        var deadline = Timeout is { } seconds ? DateTime.UtcNow.AddSeconds(seconds) : DateTime.MaxValue;
        var waiting = _agents.ToList();
        var done = new List<AgentInfo>();
        while (waiting.Count > 0)
        {
            foreach (var agent in waiting.Select(e => AgentInfo.Of(Registry, e)).ToList())
            {
                if (IsDone(agent))
                {
                    done.Add(agent);
                    waiting.Remove(agent.Entry);
                }
            }

            if (waiting.Count == 0)
            {
                break;
            }

            if (DateTime.UtcNow >= deadline)
            {
                ThrowTimedOut(waiting.Select(e => AgentInfo.Of(Registry, e)).ToList());
            }

            try
            {
                Task.Delay(PollInterval, StopToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        WriteObject(done, enumerateCollection: true);
    }

    private static bool Ended(AgentState state) => state is AgentState.Stopped or AgentState.Failed or AgentState.Dead;

    private bool IsDone(AgentInfo agent)
    {
        if (!CaughtUp)
        {
            return Ended(agent.State);
        }

        if (agent.State is AgentState.Running or AgentState.Stopped && agent.LagRecords == 0)
        {
            return true;
        }

        if (Ended(agent.State))
        {
            var message = $"{agent.Kind} '{agent.Name}' is {agent.State} with {agent.LagRecords?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} records not passed on; it will not catch up."
                + (agent.Status?.LastError is { } error ? " Last error: " + error : "");
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), AgentNotRunning, ErrorCategory.InvalidOperation, agent.Name));
        }

        return false;
    }

    private void ThrowTimedOut(IReadOnlyList<AgentInfo> waiting)
    {
        var what = CaughtUp ? "catch up" : "stop";
        var states = string.Join(", ", waiting.Select(a => $"'{a.Name}' {a.State}" + (a.LagRecords is { } lag ? $" with lag {lag:N0}" : "")));
        var message = $"Waited {Timeout} s for {waiting.Count} agent(s) to {what}: {states}.";
        ThrowTerminatingError(new ErrorRecord(new TimeoutException(message), WaitTimedOut, ErrorCategory.OperationTimeout, waiting[0].Name));
    }
}
