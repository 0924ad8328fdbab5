using System.Management.Automation;

namespace KafkaSync.PowerShell;

/// <summary>
/// Writes of the long-running cmdlets while their work drains. Once Ctrl+C or PowerShell.Stop()
/// marks the pipeline as stopping, PowerShell refuses output, verbose and progress records (they
/// throw PipelineStoppedException); leaving the cmdlet on that exception would abandon the
/// engine's drain and its final status, so those writes are skipped instead.
/// </summary>
internal static class PipelineWrites
{
    /// <summary>Runs <paramref name="write"/> unless the pipeline is stopping; false when it was skipped.</summary>
    public static bool TryWrite(Cmdlet cmdlet, Action write)
    {
        if (cmdlet.Stopping)
        {
            return false;
        }

        try
        {
            write();
            return true;
        }
        catch (PipelineStoppedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the summary a long-running cmdlet ends with: to the output when the work ended on its
    /// own; after a stop request to the Information stream, which PowerShell still accepts then
    /// (it checks for stopping only in output, error, verbose, warning, debug and progress). The
    /// record carries the typed summary in MessageData and the PSHOST tag, so the console shows it
    /// as Write-Host would and a job or a PowerShell instance keeps it in its Information stream.
    /// </summary>
    public static void WriteSummary(Cmdlet cmdlet, object summary)
    {
        if (TryWrite(cmdlet, () => cmdlet.WriteObject(summary)))
        {
            return;
        }

        var record = new InformationRecord(summary, cmdlet.CommandRuntime?.ToString() ?? "KafkaSync");
        record.Tags.Add(SummaryTag);
        record.Tags.Add("PSHOST");
        cmdlet.WriteInformation(record);
    }

    /// <summary>The tag of the Information record that carries a summary written after a stop request.</summary>
    public const string SummaryTag = "KafkaSync.Summary";
}
