using System.Globalization;
using System.Management.Automation;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>
/// Runs an agent on a worker while the pipeline thread shows Write-Progress and relays the
/// agent's messages to -Verbose, so everything is written from the pipeline thread. Ctrl+C
/// (StopProcessing) cancels the token; the runner keeps waiting while the agent drains, writing
/// nothing PowerShell would refuse, and returns its summary.
/// </summary>
internal static class AgentCmdletRunner
{
    public static AgentStatus Run(Cmdlet cmdlet, Func<IProgress<string>, CancellationToken, Task<AgentStatus>> start, Func<AgentStatus> status, string activity, CancellationToken stop)
    {
        var messages = new CmdletLog();
        var run = Task.Run(() => start(messages, stop), CancellationToken.None);
        // Milestones go to Information (for -InformationVariable and logs); the agent's own messages to Verbose.
        cmdlet.WriteInformation(new InformationRecord($"{activity}: started.", "KafkaSync.Sync") { Tags = { "KafkaSync", "Sync" } });
        ForegroundProgress.Wait(cmdlet, run, activity, () => Describe(status()), messages, TimeSpan.FromMilliseconds(500));
        var summary = run.GetAwaiter().GetResult();
        // After a stop request the typed summary goes to Information instead (PipelineWrites.WriteSummary).
        PipelineWrites.TryWrite(cmdlet, () => cmdlet.WriteInformation(new InformationRecord($"{activity}: {Describe(summary)}", "KafkaSync.Sync") { Tags = { "KafkaSync", "Sync" } }));
        return summary;
    }

    public static string Describe(AgentStatus s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.State} link {s.LinkState} — in {s.RecordsIn:N0}, out {s.RecordsOut:N0} ({s.RecordsPerSecond:N0}/s), lag {s.LagRecords:N0} records / {s.LagSeconds:0.0} s, ratio {s.CompressionRatio:0.0}{(s.Note.Length > 0 ? " — " + s.Note : "")}");
}
