using System.Management.Automation;

namespace KafkaSync.PowerShell;

/// <summary>
/// Waits on the pipeline thread for work running on a worker, relaying its log and showing its
/// status with Write-Progress meanwhile, so everything is written from the pipeline thread.
/// Writes go through <see cref="PipelineWrites.TryWrite"/>: after Ctrl+C PowerShell refuses them,
/// and the wait goes on while the work drains.
/// </summary>
internal static class ForegroundProgress
{
    /// <summary>Returns once <paramref name="run"/> has ended (its failure is not observed here).</summary>
    public static void Wait(Cmdlet cmdlet, Task run, string activity, Func<string> describe, CmdletLog log, TimeSpan interval)
    {
        var progress = new ProgressRecord(1, activity, "starting");
        // Task.Wait would wrap a failure in AggregateException; WhenAny leaves it to the caller.
        while (Task.WhenAny(run, Task.Delay(interval, CancellationToken.None)).GetAwaiter().GetResult() != run)
        {
            PipelineWrites.TryWrite(cmdlet, () =>
            {
                log.Drain(cmdlet);
                progress.StatusDescription = describe();
                cmdlet.WriteProgress(progress);
            });
        }

        PipelineWrites.TryWrite(cmdlet, () =>
        {
            log.Drain(cmdlet);
            progress.RecordType = ProgressRecordType.Completed;
            cmdlet.WriteProgress(progress);
        });
    }
}
