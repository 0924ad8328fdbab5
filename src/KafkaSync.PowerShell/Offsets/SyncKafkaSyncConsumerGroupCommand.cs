using System.Globalization;
using System.Management.Automation;
using KafkaSync.Engine.Offsets;

namespace KafkaSync.PowerShell.Offsets;

/// <summary>
/// <para type="synopsis">Commits consumer groups' translated offsets on the target cluster once, so they can continue there.</para>
/// <para type="description">For each group: reads its committed offsets on the source, translates them exactly with the target agent's
/// offset map and commits them on the target — only where the group has no members on the target, and only forward. -WhatIf shows
/// the offsets that would be committed. Returns one object per group and target partition saying what was done.</para>
/// </summary>
/// <example title="See what would be committed">
/// <code>Sync-KafkaSyncConsumerGroup /etc/kafkasync/target.json -Group billing -WhatIf</code>
/// <para>Prints the target partitions and offsets the sync would commit for the group, and commits nothing.</para>
/// </example>
/// <example title="Move a stopped group to the target site">
/// <code>Sync-KafkaSyncConsumerGroup ./target.json -Group billing, shipping -Confirm:$false</code>
/// <para>Commits the translated offsets of both groups on the target; start their consumers there afterwards.</para>
/// </example>
/// <para type="link">Get-KafkaSyncOffset</para>
/// <para type="link">Start-KafkaSyncTarget</para>
[Cmdlet(VerbsData.Sync, "KafkaSyncConsumerGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ConsumerGroupOffset))]
public sealed class SyncKafkaSyncConsumerGroupCommand : OffsetCmdletBase
{
    /// <summary>The error id for a commit the target cluster refused.</summary>
    public const string CommitRefused = nameof(CommitRefused);

    private readonly List<string> _groups = [];

    /// <inheritdoc />
    protected override void ProcessRecord() => _groups.AddRange(Group);

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (Run(_groups, commit: false) is not { } plan)
        {
            return;
        }

        var chosen = new List<string>();
        foreach (var group in plan.GroupBy(r => r.Group))
        {
            var moves = group.Where(r => r.Action == GroupSyncAction.WouldCommit).ToList();
            if (moves.Count == 0)
            {
                WriteVerbose($"Group '{group.Key}': nothing to commit ({string.Join(", ", group.Select(r => r.Action).Distinct())}).");
                continue;
            }

            var what = string.Join(", ", moves.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.TargetTopic}[{r.TargetPartition}]={r.TargetOffset}")));
            if (ShouldProcess($"group '{group.Key}' on the target", $"Commit offsets {what}"))
            {
                chosen.Add(group.Key);
            }
        }

        if (chosen.Count == 0 || Run(chosen, commit: true) is not { } done)
        {
            return;
        }

        foreach (var row in done)
        {
            if (row.Action == GroupSyncAction.Failed)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"Group '{row.Group}', {row.TargetTopic}[{row.TargetPartition}]: {row.Note}"), CommitRefused, ErrorCategory.WriteError, row));
            }

            WriteObject(row);
        }
    }
}
