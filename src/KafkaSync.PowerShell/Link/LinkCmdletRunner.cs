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
        ForegroundProgress.Wait(cmdlet, run, activity, () => Describe(status()), log, TimeSpan.FromSeconds(1));
        run.GetAwaiter().GetResult();
    }

    /// <summary>One line for the progress record: state, peer, records, bytes, ratio and acknowledged seq.</summary>
    public static string Describe(LinkStatus s) =>
        $"{s.State} {s.Peer} — {s.Records:N0} records, {s.RawBytes / 1e6:F1} MB raw, ratio {s.CompressionRatio:F2}, acked seq {s.AckedSeq}";
}
