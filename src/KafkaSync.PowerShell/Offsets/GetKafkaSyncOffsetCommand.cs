using System.Management.Automation;
using KafkaSync.Engine.Offsets;

namespace KafkaSync.PowerShell.Offsets;

/// <summary>
/// <para type="synopsis">Gets consumer groups' offsets on both sites: the committed source offset, its exact translation on the target, the group's target offset and lag.</para>
/// <para type="description">Reads the offset map the target agent keeps beside its queue (also while it runs), each group's committed
/// offsets on the source and its committed offsets and end offsets on the target. Commits nothing. One object per group and target
/// partition, with the translation's status (Exact, CopyBehind, Mixed, BeforeMap, NoSourceOffset) and when the agent last synced it.</para>
/// </summary>
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
