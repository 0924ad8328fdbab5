using System.Management.Automation;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Queue;

/// <summary>
/// <para type="synopsis">Shows the state of a disk queue: seqs, cursors and their lag, pending records, segments, size and health.</para>
/// <para type="description">Reads the queue's files without taking its lock, so it is safe while the queue's owner runs.</para>
/// <para type="description">Each queue gives one object: its first and last seq, every named cursor (such as link or
/// producer) with how far it lags behind the last seq, the records and bytes not yet past every cursor, the age of the
/// oldest of them, its segments and size on disk, and its health. A queue with a damaged record reports it with its
/// segment and position; Repair-KafkaSyncQueue moves such a segment aside.</para>
/// </summary>
/// <example title="Inspect the queue of a source agent">
/// <code>Get-KafkaSyncQueue -Path /var/lib/kafkasync/source</code>
/// <para>Shows the queue's seqs, pending records and bytes, the age of the oldest pending record and its health.</para>
/// </example>
/// <example title="Check every queue in a folder">
/// <code>Get-KafkaSyncQueue /var/lib/kafkasync/* | Where-Object Health -ne Healthy</code>
/// <para>The wildcard expands to the folders that exist; only queues that are not healthy are shown. Use -LiteralPath for
/// a folder whose name holds wildcard characters.</para>
/// </example>
/// <example title="From Get-ChildItem or from agent status">
/// <code>Get-ChildItem /var/lib/kafkasync -Directory | Get-KafkaSyncQueue
/// Get-KafkaSyncStatus /var/lib/kafkasync/target | Get-KafkaSyncQueue</code>
/// <para>Folders bind to -LiteralPath by their PSPath property; status objects bind to -Path by their QueuePath property.</para>
/// </example>
/// <example title="See how far each cursor lags">
/// <code>(Get-KafkaSyncQueue ./target-queue).Cursors</code>
/// <para>Lists the queue's cursors (for a target agent's queue, the link and producer cursors) with their seq and lag in records.</para>
/// </example>
/// <para type="link">Get-KafkaSyncQueueRecord</para>
/// <para type="link">Repair-KafkaSyncQueue</para>
/// <para type="link">Get-KafkaSyncStatus</para>
/// <para type="link">about_KafkaSync_Queue</para>
[Cmdlet(VerbsCommon.Get, "KafkaSyncQueue", DefaultParameterSetName = PathSet)]
[OutputType(typeof(QueueInfo))]
public sealed class GetKafkaSyncQueueCommand : QueueFoldersCmdlet
{
    /// <summary>The error id for a path that is missing, not a queue, or unreadable.</summary>
    public const string InspectFailed = nameof(InspectFailed);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var resolved in QueueFolders())
        {
            try
            {
                WriteObject(DiskQueue.Inspect(resolved));
            }
            catch (Exception ex) when (ex is QueueException or IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, InspectFailed, ErrorCategory.ReadError, resolved));
            }
        }
    }
}
