using System.Management.Automation;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>
/// <para type="synopsis">Gets the status of source and target agents from the snapshot each keeps beside its queue.</para>
/// <para type="description">Works from any session or process while the agent runs, and after it stopped (its last state).
/// Shows state, link state, seqs, lag in records and seconds, rate, compression ratio and the last error.</para>
/// </summary>
/// <example title="Both ends of a sync">
/// <code>Get-KafkaSyncStatus /var/lib/kafkasync/source, /var/lib/kafkasync/target</code>
/// <para>Shows one line per agent: its role, name, state, link state, lag and rate.</para>
/// </example>
/// <example title="Why an agent stopped">
/// <code>Get-KafkaSyncStatus /var/lib/kafkasync/target | Format-List Name, State, LastError, UpdatedAt</code>
/// <para>Shows the agent's last error and when its status was last written.</para>
/// </example>
/// <example title="Wait until the target has produced everything it received">
/// <code>while ((Get-KafkaSyncStatus ./target-queue).LagRecords -gt 0) { Start-Sleep -Seconds 1 }</code>
/// <para>Polls the status snapshot once a second until the target's lag is zero.</para>
/// </example>
/// <para type="link">Start-KafkaSyncSource</para>
/// <para type="link">Start-KafkaSyncTarget</para>
/// <para type="link">Get-KafkaSyncQueue</para>
/// <para type="link">about_KafkaSync_Troubleshooting</para>
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
