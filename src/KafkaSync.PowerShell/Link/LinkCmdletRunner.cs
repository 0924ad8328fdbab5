using System.Management.Automation;
using KafkaSync.Engine.Link;

namespace KafkaSync.PowerShell.Link;

/// <summary>
/// Runs a link side on a worker while the pipeline thread shows progress, so output and progress
/// come only from the pipeline thread; Ctrl+C (StopProcessing) cancels the token and the runner
/// waits for the link to close, writing nothing PowerShell would refuse while stopping.
/// </summary>
internal static class LinkCmdletRunner
{
    public static void Run(Cmdlet cmdlet, Task run, Func<LinkStatus> status, string activity, CmdletLog log)
    {
        var progress = new ProgressRecord(1, activity, "starting");
        // Task.Wait would wrap a failure in AggregateException; WhenAny keeps the engine's own exception.
        while (Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1))).GetAwaiter().GetResult() != run)
        {
            PipelineWrites.TryWrite(cmdlet, () =>
            {
                log.Drain(cmdlet);
                progress.StatusDescription = Describe(status());
                cmdlet.WriteProgress(progress);
            });
        }

        PipelineWrites.TryWrite(cmdlet, () =>
        {
            log.Drain(cmdlet);
            progress.RecordType = ProgressRecordType.Completed;
            cmdlet.WriteProgress(progress);
        });
        run.GetAwaiter().GetResult();
    }

    /// <summary>One line for the progress record: state, peer, records, bytes, ratio and acknowledged seq.</summary>
    public static string Describe(LinkStatus s) =>
        $"{s.State} {s.Peer} — {s.Records:N0} records, {s.RawBytes / 1e6:F1} MB raw, ratio {s.CompressionRatio:F2}, acked seq {s.AckedSeq}";
}
