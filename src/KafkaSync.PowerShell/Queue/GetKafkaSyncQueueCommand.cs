using System.Management.Automation;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Queue;

/// <summary>
/// <para type="synopsis">Shows the state of a disk queue: seqs, cursors and their lag, pending records, segments, size and health.</para>
/// <para type="description">Reads the queue's files without taking its lock, so it is safe while the queue's owner runs.</para>
/// </summary>
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
