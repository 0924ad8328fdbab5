using System.Management.Automation;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Queue;

/// <summary>
/// <para type="synopsis">Shows records of a disk queue from a seq, decoding Kafka records (topic, partition, offset, key, value).</para>
/// <para type="description">Reads without taking the queue's lock; a damaged record stops the listing with an error naming its segment, position and seq.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KafkaSyncQueueRecord")]
[OutputType(typeof(QueueRecordView))]
public sealed class GetKafkaSyncQueueRecordCommand : PSCmdlet
{
    /// <summary>The error id for a path that is missing or not a queue.</summary>
    public const string PeekFailed = nameof(PeekFailed);

    /// <summary>The error id for a damaged record on the way.</summary>
    public const string QueueCorrupt = nameof(QueueCorrupt);

    /// <summary>The queue's folder.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The first seq to show; raised to the oldest retained seq. Default 1.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long From { get; set; } = 1;

    /// <summary>How many records to show, 1 to 100000. Default 10.</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int Count { get; set; } = 10;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var resolved = PowerShellPaths.Resolve(this, Path)!;
        try
        {
            foreach (var record in DiskQueue.Peek(resolved, From, Count))
            {
                WriteObject(QueueRecordView.From(record));
            }
        }
        catch (QueueCorruptException ex)
        {
            WriteError(new ErrorRecord(ex, QueueCorrupt, ErrorCategory.InvalidData, resolved));
        }
        catch (Exception ex) when (ex is QueueException or IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, PeekFailed, ErrorCategory.ReadError, resolved));
        }
    }
}
