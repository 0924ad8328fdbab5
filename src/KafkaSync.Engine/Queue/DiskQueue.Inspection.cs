namespace KafkaSync.Engine.Queue;

/// <summary>
/// Read-only inspection from any process, also while the owner runs: it never takes the writer's
/// lock and opens files shared, so neither side locks the other out.
/// </summary>
public sealed partial class DiskQueue
{
    /// <summary>Reads the state of the queue at <paramref name="path"/>: seqs, cursors and lag, pending work, segments, health.</summary>
    /// <exception cref="QueueException">The folder does not exist or is not a queue.</exception>
    public static QueueInfo Inspect(string path)
    {
        var directory = QueueFolder.RequireExisting(path);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return QueueInspector.Inspect(directory);
            }
            catch (FileNotFoundException) when (attempt < 5)
            {
                // Retention removed a segment while we read; look again.
            }
        }
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> whole records from <paramref name="fromSeq"/> (raised to
    /// the oldest retained seq). A partial record at the tail (a write in progress) ends the list.
    /// </summary>
    /// <exception cref="QueueCorruptException">A committed record on the way is damaged.</exception>
    public static IReadOnlyList<QueueRecord> Peek(string path, long fromSeq, int count)
    {
        if (fromSeq < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fromSeq), fromSeq, "Seqs start at 1; give a 'from' of 1 or more.");
        }

        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Give a count of 0 or more records.");
        }

        var directory = QueueFolder.RequireExisting(path);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return QueueInspector.Peek(directory, fromSeq, count);
            }
            catch (FileNotFoundException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>
    /// Checks every record of the queue and, unless <paramref name="whatIf"/>, moves each damaged
    /// segment into the <c>quarantine</c> folder (never deleting it), copies its whole records back,
    /// and records the seqs that were lost so that readers pass over them. Needs the writer's lock:
    /// stop the owner first.
    /// </summary>
    /// <exception cref="QueueLockedException">The owner is running (not raised with <paramref name="whatIf"/>).</exception>
    public static QueueRepairResult Repair(string path, bool whatIf)
    {
        var directory = QueueFolder.RequireExisting(path);
        using var lockFile = whatIf ? null : AcquireLock(directory);
        return QueueRepairer.Repair(directory, whatIf);
    }
}
