using System.Management.Automation;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Queue;

/// <summary>
/// <para type="synopsis">Checks every record of a stopped disk queue and moves damaged segments aside into quarantine.</para>
/// <para type="description">Nothing is deleted: a damaged segment moves into the queue's quarantine folder and its whole
/// records are copied back; seqs that cannot be recovered are listed so readers pass over them. With -WhatIf it only checks.
/// The queue's owner must be stopped.</para>
/// <para type="description">A healthy queue is reported and left alone without asking. For a damaged one the cmdlet says
/// what it would move and which seqs would be given up, and asks before doing it (its confirm impact is High).</para>
/// </summary>
/// <example title="Check a queue without changing it">
/// <code>Repair-KafkaSyncQueue -Path /var/lib/kafkasync/source -WhatIf</code>
/// <para>Checks every record and reports the problems found, the segments that would be quarantined and the seqs that would be lost.</para>
/// </example>
/// <example title="Repair a queue after stopping its agent">
/// <code>Stop-Job -Name 'KafkaSync source dc1-to-dc2'
/// Repair-KafkaSyncQueue -Path /var/lib/kafkasync/source -Confirm:$false</code>
/// <para>Stops the agent that owns the queue, then quarantines the damaged segments without asking; the result lists the
/// quarantined files, the records salvaged and the seqs given up.</para>
/// </example>
/// <example title="Check every queue in a folder">
/// <code>Get-ChildItem /var/lib/kafkasync -Directory | Repair-KafkaSyncQueue -WhatIf</code>
/// <para>Folders bind to -LiteralPath by their PSPath property; -Path /var/lib/kafkasync/* does the same with a wildcard.</para>
/// </example>
/// <para type="link">Get-KafkaSyncQueue</para>
/// <para type="link">Get-KafkaSyncQueueRecord</para>
/// <para type="link">about_KafkaSync_Queue</para>
/// <para type="link">about_KafkaSync_Troubleshooting</para>
[Cmdlet(VerbsDiagnostic.Repair, "KafkaSyncQueue", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(QueueRepairResult))]
public sealed class RepairKafkaSyncQueueCommand : QueueFoldersCmdlet
{
    /// <summary>The error id for a queue whose owner is running.</summary>
    public const string QueueLocked = nameof(QueueLocked);

    /// <summary>The error id for a path that is missing, not a queue, or not writable.</summary>
    public const string RepairFailed = nameof(RepairFailed);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var resolved in QueueFolders())
        {
            try
            {
                var check = DiskQueue.Repair(resolved, whatIf: true);
                if (check.Healthy)
                {
                    WriteObject(check);
                    continue;
                }

                var action = $"Move {check.Quarantined.Count} damaged segment(s) into quarantine, keep {check.SalvagedRecords} whole records, give up seqs {string.Join(", ", check.LostSeqs)}";
                WriteObject(ShouldProcess(resolved, action) ? DiskQueue.Repair(resolved, whatIf: false) : check);
            }
            catch (QueueLockedException ex)
            {
                WriteError(new ErrorRecord(ex, QueueLocked, ErrorCategory.ResourceBusy, resolved));
            }
            catch (Exception ex) when (ex is QueueException or IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, RepairFailed, ErrorCategory.WriteError, resolved));
            }
        }
    }
}
