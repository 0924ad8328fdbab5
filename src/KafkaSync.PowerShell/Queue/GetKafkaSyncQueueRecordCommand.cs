using System.Management.Automation;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Queue;

/// <summary>
/// <para type="synopsis">Shows records of a disk queue from a seq, decoding Kafka records (topic, partition, offset, key, value).</para>
/// <para type="description">Reads without taking the queue's lock; a damaged record stops the listing with an error naming its segment, position and seq.</para>
/// <para type="description">Keys and values that are text show as text, anything else as hex. Use it to see what a queue
/// holds at a seq that Get-KafkaSyncQueue or Get-KafkaSyncStatus reports, for example the record a stalled producer is on.</para>
/// </summary>
/// <example title="Peek at twenty records from a seq">
/// <code>Get-KafkaSyncQueueRecord -Path /var/lib/kafkasync/source -From 412331 -Count 20</code>
/// <para>Shows seqs 412331 to 412350 with their topic, partition, offset, timestamp, key and value.</para>
/// </example>
/// <example title="Look at the records the producer has not delivered yet">
/// <code>$producer = (Get-KafkaSyncQueue ./target-queue).Cursors | Where-Object Name -eq producer
/// Get-KafkaSyncQueueRecord ./target-queue -From ($producer.Seq + 1) -Count 5 | Format-List</code>
/// <para>Reads the producer cursor of a target agent's queue and shows the next five records it will produce, with every field.</para>
/// </example>
/// <example title="Filter records by topic">
/// <code>Get-KafkaSyncQueueRecord ./source-queue -Count 1000 | Where-Object Topic -eq orders</code>
/// <para>Reads the first thousand records the queue still holds and keeps those of the topic orders.</para>
/// </example>
/// <para type="link">Get-KafkaSyncQueue</para>
/// <para type="link">Repair-KafkaSyncQueue</para>
/// <para type="link">about_KafkaSync_Queue</para>
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
    /// <value>1</value>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long From { get; set; } = 1;

    /// <summary>How many records to show, 1 to 100000. Default 10.</summary>
    /// <value>10</value>
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
