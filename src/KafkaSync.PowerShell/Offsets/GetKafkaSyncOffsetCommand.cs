using System.Management.Automation;
using KafkaSync.Engine.Offsets;

namespace KafkaSync.PowerShell.Offsets;

/// <summary>
/// <para type="synopsis">Gets consumer groups' offsets on both sites: the committed source offset, its exact translation on the target, the group's target offset and lag.</para>
/// <para type="description">Reads the offset map the target agent keeps beside its queue (also while it runs), each group's committed
/// offsets on the source and its committed offsets and end offsets on the target. Commits nothing. One object per group and target
/// partition, with the translation's status (Exact, CopyBehind, Mixed, BeforeMap, NoSourceOffset) and when the agent last synced it.</para>
/// </summary>
/// <example title="Where a group would resume on the target">
/// <code>Get-KafkaSyncOffset /etc/kafkasync/target.json -Group billing</code>
/// <para>One line per target partition: the group's source offset, its translation, the group's target offset, lag, status and last sync.</para>
/// </example>
/// <example title="Check that every partition translates exactly before a planned move">
/// <code>Get-KafkaSyncOffset ./target.json | Where-Object Status -ne 'Exact'</code>
/// <para>Lists the partitions whose translation is not exact yet (for example CopyBehind while the copy catches up).</para>
/// </example>
/// <para type="link">Sync-KafkaSyncConsumerGroup</para>
/// <para type="link">Get-KafkaSyncStatus</para>
/// <para type="link">Start-KafkaSyncTarget</para>
[Cmdlet(VerbsCommon.Get, "KafkaSyncOffset")]
[OutputType(typeof(ConsumerGroupOffset))]
public sealed class GetKafkaSyncOffsetCommand : OffsetCmdletBase
{
    private readonly List<string> _groups = [];

    /// <inheritdoc />
    protected override void ProcessRecord() => _groups.AddRange(Group);

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (Run(_groups, commit: false) is { } rows)
        {
            WriteObject(rows, enumerateCollection: true);
        }
    }
}
