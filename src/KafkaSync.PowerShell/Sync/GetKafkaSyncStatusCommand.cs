using System.Management.Automation;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>
/// <para type="synopsis">Gets the status of source and target agents from the snapshot each keeps beside its queue.</para>
/// <para type="description">Works from any session or process while the agent runs, and after it stopped (its last state).
/// Shows state, link state, seqs, lag in records and seconds, rate, compression ratio and the last error.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KafkaSyncStatus", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AgentStatus))]
public sealed class GetKafkaSyncStatusCommand : QueueFoldersCmdlet
{
    /// <summary>The error id for a folder without a status snapshot or with an unreadable one.</summary>
    public const string StatusUnavailable = nameof(StatusUnavailable);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var resolved in QueueFolders())
        {
            try
            {
                WriteObject(AgentStatusFile.Read(resolved));
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, StatusUnavailable, ErrorCategory.ObjectNotFound, resolved));
            }
        }
    }
}
