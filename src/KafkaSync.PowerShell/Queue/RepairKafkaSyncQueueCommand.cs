using System.Management.Automation;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Queue;

/// <summary>
/// <para type="synopsis">Checks every record of a stopped disk queue and moves damaged segments aside into quarantine.</para>
/// <para type="description">Nothing is deleted: a damaged segment moves into the queue's quarantine folder and its whole
/// records are copied back; seqs that cannot be recovered are listed so readers pass over them. With -WhatIf it only checks.
/// The queue's owner must be stopped.</para>
/// </summary>
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
